package dev.docstore.bench;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.PURGE_TRASH;
import static dev.docstore.api.Operation.UPDATE_DOCUMENT;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.Mutation;
import dev.docstore.local.LocalStack;
import dev.docstore.testing.DocstoreClient.Response;
import dev.docstore.testing.RpcCounter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * purgeTrash's scan when the trash is large and almost all of it young: the same rounds before
 * and after a large young trash is written behind them. The purge reads the head of each trash
 * shard up to the cutoff, so its scans and round trips should not grow with the young trash; a
 * control write, timed beside them, shows what the emulator's table size alone costs.
 *
 * <p>The trash is written straight into Spanner, trashed by the system clock the stack runs on:
 * each expired document with one version row, so that its purge deletes a version by cascade as
 * a real one does; the young ones as rows only, since no run reaches them. No object backs them:
 * a purge lists a document's objects by its prefix and finds none.
 */
final class PurgeScan {
  static final String SECTION = "purgeTrash with a large young trash (p50, 1 caller)";
  private static final int EXPIRED_PER_RUN = 5;
  private static final int ROWS_PER_COMMIT = 250;
  private static final String CONTROL_TENANT = "bench-purge-control";
  private static final String YOUNG_TENANT = "bench-purge-young";
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private final LocalStack stack;
  private final BenchClient client;
  private final RpcCounter rpcs;
  private final Report report;

  PurgeScan(LocalStack stack, BenchClient client, RpcCounter rpcs, Report report) {
    this.stack = stack;
    this.client = client;
    this.rpcs = rpcs;
    this.report = report;
  }

  void run(int young, int rounds) {
    Duration retention = stack.config().trashRetention();
    String control = client.post(CREATE_DOCUMENT, CONTROL_TENANT, null,
        Map.of("title", "control", "content", "v1")).json().at("/document/documentId").asText();
    Phase alone = phase("bench-purge-alone", rounds, retention, control);
    Phase behindYoung;
    try {
      insertTrash(YOUNG_TENANT, young, now(), false);
      behindYoung = phase("bench-purge-behind", rounds, retention, control);
    } finally {
      // What runs after (the cold start shares the database) must not pay for these rows.
      stack.docstore().databaseClient().write(List.of(
          Mutation.delete("Documents", KeySet.prefixRange(Key.of(YOUNG_TENANT)))));
    }

    String note = young + " young trashed documents behind the runs";
    report.report(SECTION, "purge_scan_p50_alone", p50(alone.scans()), "ms", "n=" + rounds
        + ", a run with nothing expired: the tombstones and one key range per shard");
    report.report(SECTION, "purge_scan_p50_behind_young_trash", p50(behindYoung.scans()), "ms",
        note);
    report.atMost(SECTION, "purge_scan_young_over_alone_p50",
        ratio(alone.scans(), behindYoung.scans()), "ratio", 1.5, "measured in this run");
    report.report(SECTION, "purge_run_p50_alone", p50(alone.runs()), "ms",
        EXPIRED_PER_RUN + " expired documents per run, one version each");
    report.report(SECTION, "purge_run_p50_behind_young_trash", p50(behindYoung.runs()), "ms",
        note);
    report.report(SECTION, "purge_run_young_over_alone_p50",
        ratio(alone.runs(), behindYoung.runs()), "ratio", "each purged document's transaction"
            + " reads its rows by SQL, which the emulator answers by scanning the table: compare"
            + " the control write");
    report.report(SECTION, "control_write_young_over_alone_p50",
        ratio(alone.control(), behindYoung.control()), "ratio", String.format(Locale.ROOT,
            "a keyless updateDocument of another tenant, timed beside the runs (%.1f ms, then"
                + " %.1f ms)", p50(alone.control()), p50(behindYoung.control())));
    report.exactly(SECTION, "purge_round_trips_added_by_young_trash",
        behindYoung.roundTrips() - alone.roundTrips(), "rpcs", 0, alone.roundTrips()
            + " round trips per run: the tombstones, one key range per shard, per document"
            + " its transaction and its tombstone's removal");
  }

  private record Phase(Samples scans, Samples runs, Samples control, int roundTrips) {}

  /**
   * {@code rounds} rounds of: a purge of {@link #EXPIRED_PER_RUN} documents expired just before
   * it, a purge with nothing left to do (its scans alone), and the control write.
   */
  private Phase phase(String tenant, int rounds, Duration retention, String control) {
    Samples scans = new Samples();
    Samples runs = new Samples();
    Samples writes = new Samples();
    int roundTrips = -1;
    for (int i = 0; i < rounds; i++) {
      insertTrash(tenant, EXPIRED_PER_RUN, now().minus(retention).minus(Duration.ofHours(1)),
          true);
      int trips = RpcCounter.roundTrips(purge(runs, EXPIRED_PER_RUN)).size();
      if (roundTrips >= 0 && trips != roundTrips) {
        throw new IllegalStateException("purge runs of equal work took " + roundTrips + " and "
            + trips + " round trips");
      }
      roundTrips = trips;
      purge(scans, 0);
      long started = System.nanoTime();
      Response renamed = client.post(UPDATE_DOCUMENT, CONTROL_TENANT, null,
          Map.of("documentId", control, "title", "control " + i));
      writes.add((System.nanoTime() - started) / 1e6);
      if (renamed.status() != 200) {
        throw new IllegalStateException("the control write answered " + renamed.status());
      }
    }
    return new Phase(scans, runs, writes, roundTrips);
  }

  /** One purge run, timed into {@code into}, which must purge {@code expected}; its calls. */
  private List<String> purge(Samples into, int expected) {
    Response[] answer = new Response[1];
    long started = System.nanoTime();
    List<String> calls = rpcs.during(
        () -> answer[0] = client.post(PURGE_TRASH, null, null, Map.of()));
    into.add((System.nanoTime() - started) / 1e6);
    if (answer[0].status() != 200 || answer[0].json().get("purged").asInt() != expected) {
      throw new IllegalStateException("purgeTrash answered " + answer[0].status() + " "
          + answer[0].text() + ", expected " + expected + " purged");
    }
    return calls;
  }

  private static double p50(Samples samples) {
    return samples.percentile(50);
  }

  private static double ratio(Samples before, Samples after) {
    return Samples.ratio(p50(after), p50(before));
  }

  private void insertTrash(String tenant, int n, Instant trashedAt, boolean withVersion) {
    DatabaseClient db = stack.docstore().databaseClient();
    Timestamp at = Timestamp.ofTimeMicroseconds(ChronoUnit.MICROS.between(Instant.EPOCH,
        trashedAt));
    List<Mutation> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = UUID.randomUUID().toString();
      batch.add(Mutation.newInsertBuilder("Documents").set("TenantId").to(tenant)
          .set("DocumentId").to(id).set("Title").to("trash")
          .set("State").to("TRASHED").set("ActiveVersion").to(1L).set("LatestVersion").to(1L)
          .set("Revision").to(2L).set("CreatedAt").to(at).set("UpdatedAt").to(at)
          .set("TrashedAt").to(at).set("CreatedBy").to("bench").build());
      if (withVersion) {
        batch.add(Mutation.newInsertBuilder("DocumentVersions").set("TenantId").to(tenant)
            .set("DocumentId").to(id).set("Version").to(1L).set("State").to("LIVE")
            .set("ContentSha256").to(EMPTY_SHA256).set("ContentLength").to(0L)
            .set("ContentType").to("text/plain")
            .set("ObjectName").to(tenant + "/" + id + "/" + EMPTY_SHA256)
            .set("ObjectGeneration").to(1L).set("CreatedAt").to(at).set("CreatedBy").to("bench")
            .build());
      }
      if (batch.size() >= ROWS_PER_COMMIT || i == n - 1) {
        db.write(batch);
        batch = new ArrayList<>();
      }
    }
  }

  private static Instant now() {
    return Clock.systemUTC().instant();
  }
}

package dev.docstore.bench;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.PURGE_TRASH;
import static dev.docstore.api.Operation.UPDATE_DOCUMENT;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
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
import java.util.Map;
import java.util.UUID;

/**
 * purgeTrash's scan when the trash is large and almost all of it young: the same rounds before
 * and after a large young trash is written behind them. The purge reads the head of each trash
 * shard up to the cutoff, so its scans and round trips should not grow with the young trash;
 * a control write, timed beside them, shows what the emulator's table size alone costs. The trash is written straight into Spanner (rows
 * only: a purge lists a document's objects by its prefix, and these have none), the expired
 * part trashed before the retention by the system clock the stack runs on.
 */
final class PurgeScan {
  static final String SECTION = "purgeTrash with a large young trash (p50, 1 caller)";
  private static final int EXPIRED_PER_RUN = 5;
  private static final int MUTATIONS_PER_COMMIT = 500;
  private static final String CONTROL_TENANT = "bench-purge-control";

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

  void run(int young, int runs) {
    Duration retention = stack.config().trashRetention();
    String control = client.post(CREATE_DOCUMENT, CONTROL_TENANT, null,
        Map.of("title", "control", "content", "v1")).json().at("/document/documentId").asText();
    Phase alone = phase("bench-purge-alone", runs, retention, control);
    insertTrash("bench-purge-young", young, now());
    Phase behindYoung = phase("bench-purge-behind", runs, retention, control);

    String note = young + " young trashed documents behind the runs";
    report.report(SECTION, "purge_scan_p50_no_young_trash", alone.scans().percentile(50), "ms",
        "n=" + runs + ", a run with nothing expired: the tombstones and one key range per shard");
    report.report(SECTION, "purge_scan_p50_" + young + "_young_trash",
        behindYoung.scans().percentile(50), "ms", note);
    report.atMost(SECTION, "purge_scan_young_over_alone_p50", ratio(alone.scans(),
        behindYoung.scans()), "ratio", 1.5, "measured in this run");
    report.report(SECTION, "purge_run_p50_no_young_trash", alone.runs().percentile(50), "ms",
        EXPIRED_PER_RUN + " expired documents per run");
    report.report(SECTION, "purge_run_p50_" + young + "_young_trash",
        behindYoung.runs().percentile(50), "ms", note);
    report.report(SECTION, "purge_run_young_over_alone_p50", ratio(alone.runs(),
        behindYoung.runs()), "ratio", "each purged document's transaction reads its rows by SQL,"
            + " which the emulator answers by scanning the table: compare the control write");
    report.report(SECTION, "control_write_young_over_alone_p50", ratio(alone.control(),
        behindYoung.control()), "ratio", "a keyless updateDocument of another tenant, timed"
            + " beside the runs (" + format(alone.control()) + " ms, then "
            + format(behindYoung.control()) + " ms)");
    report.exactly(SECTION, "purge_round_trips_added_by_young_trash",
        behindYoung.roundTrips() - alone.roundTrips(), "rpcs", 0, alone.roundTrips()
            + " round trips per run: the tombstones, one key range per shard, per document"
            + " its transaction and its tombstone's removal");
  }

  private record Phase(Samples scans, Samples runs, Samples control, int roundTrips) {}

  /**
   * {@code runs} rounds of: a purge of {@link #EXPIRED_PER_RUN} documents expired just before
   * it, a purge with nothing left to do (its scans alone), and the control write.
   */
  private Phase phase(String tenant, int runs, Duration retention, String control) {
    Phase phase = new Phase(new Samples(), new Samples(), new Samples(), 0);
    int roundTrips = -1;
    for (int i = 0; i < runs; i++) {
      insertTrash(tenant, EXPIRED_PER_RUN, now().minus(retention).minus(Duration.ofHours(1)));
      List<String> calls = purge(phase.runs(), EXPIRED_PER_RUN);
      int trips = RpcCounter.roundTrips(calls).size();
      if (roundTrips >= 0 && trips != roundTrips) {
        throw new IllegalStateException("purge runs of equal work took " + roundTrips + " and "
            + trips + " round trips: " + calls);
      }
      roundTrips = trips;
      purge(phase.scans(), 0);
      long started = System.nanoTime();
      Response renamed = client.post(UPDATE_DOCUMENT, CONTROL_TENANT, null,
          Map.of("documentId", control, "title", "control " + i));
      phase.control().add((System.nanoTime() - started) / 1e6);
      if (renamed.status() != 200) {
        throw new IllegalStateException("the control write answered " + renamed.status());
      }
    }
    return new Phase(phase.scans(), phase.runs(), phase.control(), roundTrips);
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

  private static double ratio(Samples before, Samples after) {
    return Samples.ratio(after.percentile(50), before.percentile(50));
  }

  private static String format(Samples samples) {
    return String.format(java.util.Locale.ROOT, "%.1f", samples.percentile(50));
  }

  private void insertTrash(String tenant, int n, Instant trashedAt) {
    DatabaseClient db = stack.docstore().databaseClient();
    Timestamp at = Timestamp.ofTimeMicroseconds(ChronoUnit.MICROS.between(Instant.EPOCH,
        trashedAt));
    List<Mutation> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(Mutation.newInsertBuilder("Documents").set("TenantId").to(tenant)
          .set("DocumentId").to(UUID.randomUUID().toString()).set("Title").to("trash")
          .set("State").to("TRASHED").set("ActiveVersion").to(1L).set("LatestVersion").to(1L)
          .set("Revision").to(2L).set("CreatedAt").to(at).set("UpdatedAt").to(at)
          .set("TrashedAt").to(at).set("CreatedBy").to("bench").build());
      if (batch.size() == MUTATIONS_PER_COMMIT || i == n - 1) {
        db.write(batch);
        batch = new ArrayList<>();
      }
    }
  }

  private static Instant now() {
    return Clock.systemUTC().instant();
  }
}

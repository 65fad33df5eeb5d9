package dev.docstore.bench;

import static dev.docstore.api.Operation.PURGE_TRASH;

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
 * purgeTrash's scan when the trash is large and almost all of it young: the same runs (a few
 * expired documents each) before and after a large young trash is written behind them, their
 * p50 time and round trips. The purge reads the head of each trash shard up to the cutoff, so
 * neither should grow with the young trash. The trash is written straight into Spanner (rows
 * only: a purge lists a document's objects by its prefix, and these have none), the expired
 * part trashed before the retention by the system clock the stack runs on.
 */
final class PurgeScan {
  static final String SECTION = "purgeTrash with a large young trash (p50, 1 caller)";
  private static final int EXPIRED_PER_RUN = 5;
  private static final int MUTATIONS_PER_COMMIT = 500;

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
    Run alone = runs("bench-purge-alone", runs, retention);
    insertTrash("bench-purge-young", young, now());
    Run behindYoung = runs("bench-purge-behind", runs, retention);

    report.report(SECTION, "purge_run_p50_no_young_trash", alone.millis().percentile(50), "ms",
        "n=" + runs + ", " + EXPIRED_PER_RUN + " expired documents per run");
    report.report(SECTION, "purge_run_p50_" + young + "_young_trash",
        behindYoung.millis().percentile(50), "ms", "the same runs with " + young
            + " young trashed documents behind them");
    report.atMost(SECTION, "purge_run_young_over_alone_p50", Samples.ratio(
        behindYoung.millis().percentile(50), alone.millis().percentile(50)), "ratio", 1.5,
        "measured in this run");
    report.exactly(SECTION, "purge_round_trips_added_by_young_trash",
        behindYoung.roundTrips() - alone.roundTrips(), "rpcs", 0, alone.roundTrips()
            + " round trips per run: the tombstones, one key range per shard, per document"
            + " its transaction and its tombstone's removal");
  }

  private record Run(Samples millis, int roundTrips) {}

  /** {@code runs} purges, each of {@link #EXPIRED_PER_RUN} documents expired just before it. */
  private Run runs(String tenant, int runs, Duration retention) {
    Samples millis = new Samples();
    int roundTrips = -1;
    for (int i = 0; i < runs; i++) {
      insertTrash(tenant, EXPIRED_PER_RUN, now().minus(retention).minus(Duration.ofHours(1)));
      Response[] answer = new Response[1];
      long started = System.nanoTime();
      List<String> calls = rpcs.during(
          () -> answer[0] = client.post(PURGE_TRASH, null, null, Map.of()));
      millis.add((System.nanoTime() - started) / 1e6);
      if (answer[0].status() != 200
          || answer[0].json().get("purged").asInt() != EXPIRED_PER_RUN) {
        throw new IllegalStateException("purgeTrash answered " + answer[0].status() + " "
            + answer[0].text() + ", expected " + EXPIRED_PER_RUN + " purged");
      }
      int trips = RpcCounter.roundTrips(calls).size();
      if (roundTrips >= 0 && trips != roundTrips) {
        throw new IllegalStateException("purge runs of equal work took " + roundTrips + " and "
            + trips + " round trips: " + calls);
      }
      roundTrips = trips;
    }
    return new Run(millis, roundTrips);
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

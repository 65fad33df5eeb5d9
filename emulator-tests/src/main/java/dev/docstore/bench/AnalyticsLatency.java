package dev.docstore.bench;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.GET_USAGE;
import static dev.docstore.api.Step.AFTER_COMMIT_BEFORE_PUBLISH;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import dev.docstore.local.AnalyticsBridge;
import dev.docstore.local.EmulatorAdmin;
import dev.docstore.local.Emulators;
import dev.docstore.api.Failpoint;
import dev.docstore.local.LocalStack;
import dev.docstore.testing.DocstoreClient.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * The two analytics-after-commit figures, on the local stack with its Pub/Sub bridge:
 *
 * <ul>
 *   <li>what the post-commit publish adds to a write: createDocument p50 with the publish
 *       (publish and mark-published) minus p50 with it skipped by the
 *       {@code afterCommitBeforePublish} failpoint, the two interleaved in one run;
 *   <li>commit to counted: from the event's commit timestamp (the outbox row's OccurredAt) to the
 *       moment getUsage first shows the write.
 * </ul>
 */
final class AnalyticsLatency {
  private static final String SECTION = "Analytics after commit (1 client)";
  private static final Failpoint SKIP_PUBLISH =
      CREATE_DOCUMENT.failpoint(AFTER_COMMIT_BEFORE_PUBLISH);

  private final LocalStack stack;
  private final BenchClient client;
  private final Report report;

  AnalyticsLatency(LocalStack stack, BenchClient client, Report report) {
    this.stack = stack;
    this.client = client;
    this.report = report;
  }

  void publishCost(int writes) {
    Samples published = new Samples();
    Samples skipped = new Samples();
    for (int i = 0; i < writes; i++) {
      boolean skip = i % 2 == 1;
      if (skip) {
        stack.docstore().failpoints().set(SKIP_PUBLISH, "1*error");
      }
      long start = System.nanoTime();
      Response reply = client.post(CREATE_DOCUMENT, "bench-publish", null,
          Map.of("title", "publish cost", "content", "write " + i));
      double ms = (System.nanoTime() - start) / 1e6;
      require(reply, "createDocument");
      (skip ? skipped : published).add(ms);
    }
    stack.docstore().failpoints().set(SKIP_PUBLISH, "off");
    double with = published.percentile(50);
    double without = skipped.percentile(50);
    report.report(SECTION, "publish_added_p50", with - without, "ms",
        "createDocument p50 " + Report.format(with) + " ms with the publish, "
            + Report.format(without) + " ms with it skipped; n=" + published.count() + "+"
            + skipped.count());
  }

  void commitToCounted(Emulators emulators, int writes) throws InterruptedException {
    Samples samples = new Samples();
    try (EmulatorAdmin admin = new EmulatorAdmin(stack.config().projectId(),
            emulators.spannerHost(), emulators.pubsubHost());
        AnalyticsBridge bridge = new AnalyticsBridge(admin, stack.config().projectId(),
            stack.config().analyticsTopic(), stack.config().analyticsTopic() + "-bench",
            stack.baseUrl()).start()) {
      waitForSubscription(admin);
      for (int i = 0; i < writes; i++) {
        String tenant = "bench-usage-" + UUID.randomUUID();
        require(client.post(CREATE_DOCUMENT, tenant, null,
            Map.of("title", "counted", "content", "write " + i)), "createDocument");
        Timestamp committed = committedAt(tenant);
        LocalDate day = committed.toSqlTimestamp().toInstant().atZone(ZoneOffset.UTC)
            .toLocalDate();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (counted(tenant, day) == 0) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("write " + i + " not counted within 30 s");
          }
          Thread.sleep(5);
        }
        double ms = (System.currentTimeMillis() - committed.toSqlTimestamp().getTime());
        samples.add(ms);
      }
    }
    for (int p : new int[] {50, 95}) {
      report.report(SECTION, "commit_to_counted_p" + p, samples.percentile(p), "ms",
          p == 50 ? "n=" + samples.count() + "; the local bridge pulls every 50 ms when idle; Eventarc pushes"
              : null);
    }
  }

  /** Until the bridge's subscription exists, published events would not reach it. */
  private void waitForSubscription(EmulatorAdmin admin) throws InterruptedException {
    String tenant = "bench-usage-warmup";
    long deadline = System.nanoTime() + 30_000_000_000L;
    do {
      require(client.post(CREATE_DOCUMENT, tenant, null,
          Map.of("title", "warm-up", "content", UUID.randomUUID().toString())), "warm-up");
      Thread.sleep(500);
    } while (counted(tenant, LocalDate.now(ZoneOffset.UTC)) == 0
        && System.nanoTime() < deadline);
  }

  private Timestamp committedAt(String tenant) {
    try (ResultSet rs = stack.docstore().databaseClient().singleUse().executeQuery(
        Statement.newBuilder("SELECT OccurredAt FROM AnalyticsOutbox WHERE TenantId = @tenantId")
            .bind("tenantId").to(tenant).build())) {
      if (!rs.next()) {
        throw new IllegalStateException("no outbox row for " + tenant);
      }
      return rs.getTimestamp(0);
    }
  }

  private long counted(String tenant, LocalDate day) {
    Response reply = client.get(GET_USAGE, tenant, "from=" + day + "&to=" + day);
    require(reply, "getUsage");
    long total = 0;
    for (JsonNode count : reply.json().path("days")) {
      total += count.path("count").asLong();
    }
    return total;
  }

  private static void require(Response reply, String what) {
    if (!reply.ok()) {
      throw new IllegalStateException(what + ": " + reply.status() + " " + reply.text());
    }
  }
}

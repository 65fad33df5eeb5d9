package dev.docstore.it;

import static dev.docstore.api.Operation.GET_USAGE;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.PUBLISH_OUTBOX;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.input.Sha256;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the runs against a {@link ChildStack} share (the crash and network nemeses, the soak):
 * their seeded properties, the end of a run (settling open keys, relay, deliveries, usage and
 * content read back over HTTP, the checks) and the figures they print.
 */
final class Nemesis {
  private Nemesis() {}

  /** A stretch of time in which the child was up: from answering its first request to its kill. */
  record Window(long readyNanos, long killedNanos) {
    boolean holds(History.Entry e) {
      return e.startNanos >= readyNanos && e.endNanos != 0 && e.endNanos <= killedNanos;
    }
  }

  /** A run's figures: the requests, their outcomes and the slowest answer. */
  record Figures(long requests, long writes, long committed, long replayed, long unknown,
      long unavailable, long maxAnsweredMillis) {
    @Override
    public String toString() {
      return requests + " requests (" + writes + " writes: " + committed + " committed, "
          + replayed + " replayed, " + unavailable + " 503), " + unknown + " without a response,"
          + " slowest answer " + maxAnsweredMillis + " ms";
    }
  }

  /** How a run ended: what the store holds, the checker's report, and the last deliveries. */
  record Ending(StoreState state, HistoryChecker.Report report, int relayed, long delivered) {
    /** Throws the checker's readable report, after printing it, unless it found nothing. */
    void assertOk(String headerAndSummary, String reproduce) {
      if (!report.ok()) {
        String text = report.render(headerAndSummary, reproduce);
        System.out.println(text);
        throw new AssertionError(text);
      }
    }
  }

  /**
   * Every client retries what it does not know the outcome of (no answer, or a 503), with the
   * same keys, for at most 90 s; fails unless every key is settled by then.
   */
  static void settleAll(ExecutorService pool, List<HistoryClient> workload, ChildStack child)
      throws Exception {
    long settleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    List<Future<Integer>> open = new ArrayList<>();
    for (HistoryClient client : workload) {
      open.add(pool.submit(() -> client.settle(settleBy)));
    }
    int unsettled = 0;
    for (Future<Integer> f : open) {
      unsettled += f.get(120, TimeUnit.SECONDS);
    }
    if (unsettled != 0) {
      throw new AssertionError(unsettled + " keyed requests still unsettled after 90 s of"
          + " retries; child stderr:\n" + child.stderrTail());
    }
  }

  /**
   * The end of a run on a healthy stack: the relay until empty, the child's subscriber counting
   * every event, the store read back (without the tenants the history does not record) with
   * usage and content over HTTP, the invariants, and the history checked against it all.
   */
  static Ending finish(Api api, ChildStack child, History history, List<String> tenants,
      List<String> unrecorded) throws InterruptedException {
    int relayed = relayUntilEmpty(api);
    long delivered = awaitEveryEventCounted(new Rows(child.databaseClient()),
        Duration.ofSeconds(60));
    StoreState state = StoreState.read(child.databaseClient());
    for (String tenant : unrecorded) {
      state = state.without(tenant);
    }
    readUsage(api, tenants, state);
    readContent(api, state);
    state.invariantViolations.addAll(new InvariantChecker(child.databaseClient(),
        child.contentStore()).violations());
    HistoryChecker.Report report = HistoryChecker.check(history, state,
        HistoryChecker.Faults.TRANSPORT);
    return new Ending(state, report, relayed, delivered);
  }

  static long seed(String property) {
    String given = System.getProperty(property);
    return given == null || given.isBlank() ? new Random().nextInt(1_000_000)
        : Long.parseLong(given.trim());
  }

  static int intProperty(String name, int fallback) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }

  /**
   * The figures of {@code entries}; the slowest answer counts only requests sent while the child
   * was up and answered before it was killed (a request sent while it was starting waits in the
   * listen backlog for the stack to be built, which no deadline covers).
   */
  static Figures figures(List<History.Entry> entries, List<Window> up) {
    long max = 0;
    for (History.Entry e : entries) {
      if (!e.unknown() && up.stream().anyMatch(w -> w.holds(e))) {
        max = Math.max(max, (e.endNanos - e.startNanos) / 1_000_000);
      }
    }
    return new Figures(entries.size(), entries.stream().filter(History.Entry::write).count(),
        entries.stream().filter(History.Entry::committed).count(),
        entries.stream().filter(e -> e.write() && e.ok() && e.replayed).count(),
        entries.stream().filter(History.Entry::unknown).count(),
        entries.stream().filter(e -> e.status == 503).count(), max);
  }

  /**
   * The relay, as Cloud Scheduler runs it, until it publishes nothing: first past the child's
   * OUTBOX_GRACE_PERIOD (1 s), so that the last writes' rows are due. Returns how many it sent.
   */
  static int relayUntilEmpty(Api api) throws InterruptedException {
    Thread.sleep(1_500);
    int relayed = 0;
    for (int i = 0; i < 20; i++) {
      Api.Response relay = api.post(PUBLISH_OUTBOX).tenant(null).send();
      if (relay.status() != 200) {
        throw new AssertionError("publishOutbox answered " + relay);
      }
      int published = relay.json().get("published").asInt();
      relayed += published;
      if (published == 0) {
        break;
      }
    }
    return relayed;
  }

  /**
   * Waits (bounded) until the child's analytics bridge has delivered every outbox event and the
   * subscriber counted it; returns the count. A shortfall is the checker's to report.
   */
  static long awaitEveryEventCounted(Rows rows, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long processed = rows.count("ProcessedEvents");
    while (processed < rows.count("AnalyticsOutbox") && System.nanoTime() < deadline) {
      Thread.sleep(250);
      processed = rows.count("ProcessedEvents");
    }
    return processed;
  }

  /** What getUsage answers each tenant, around today, into {@code state.apiUsage}. */
  static void readUsage(Api api, List<String> tenants, StoreState state) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    for (String t : tenants) {
      Api.Response usage = api.get(GET_USAGE).tenant(t)
          .query("from=" + today.minusDays(1) + "&to=" + today.plusDays(1)).send();
      if (usage.status() != 200) {
        throw new AssertionError("getUsage answered " + usage);
      }
      for (JsonNode day : usage.json().get("days")) {
        state.apiUsage.add(new StoreState.Usage(t, day.get("day").asText(),
            day.get("operation").asText(), day.get("count").asLong()));
      }
    }
  }

  /** getVersionContent of every live version in {@code state}, into {@code state.served}. */
  static void readContent(Api api, StoreState state) {
    for (StoreState.Ver v : state.versions) {
      if (!"LIVE".equals(v.state())) {
        continue;
      }
      Api.Response r = api.get(GET_VERSION_CONTENT).tenant(v.tenant())
          .query("documentId=" + v.documentId() + "&version=" + v.version()).send();
      state.served.add(new StoreState.Served(v.tenant(), v.documentId(), v.version(),
          r.status(), Sha256.hex(r.body())));
    }
  }
}

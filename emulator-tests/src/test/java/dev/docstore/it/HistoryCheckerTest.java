package dev.docstore.it;

import static dev.docstore.api.Operation.GET_USAGE;
import static dev.docstore.api.Operation.PURGE_TRASH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The randomized history checker (docs/CONTRACT.md). K concurrent clients issue random reads and
 * writes across a few tenants, retry with the same Idempotency-Key (sometimes with a changed
 * payload, sometimes twice at once) and probe each other's ids, while failpoints (error, abort,
 * delay) are armed at random and the analytics events are delivered to analyticsSubscriber, some
 * twice and some late. Beside them purgeTrash runs every couple of seconds, and twice the stack's
 * clock first moves on by the trash retention, so that what is then in the trash expires while
 * the clients go on restoring, trashing and calling it. Then the clock moves once more and a
 * last purge takes all the trash, the relay runs, every event is delivered, and the
 * {@link HistoryChecker} checks the recorded history against the store.
 *
 * <p>Seeded: {@code -Dhistory.seed=N} repeats every client's choices (thread interleavings still
 * vary). Longer runs: {@code -Dhistory.seconds}, {@code -Dhistory.clients},
 * {@code -Dhistory.tenants}.
 */
class HistoryCheckerTest {
  /** The shortest retention there is: one move of the stack's clock expires the trash. */
  private static final Duration RETENTION = Duration.ofDays(1);
  /** How many times the purger moves the clock on by the retention during a run. */
  private static final int CLOCK_MOVES = 2;

  // The clock moves CLOCK_MOVES x RETENTION (48 h) while the clients run, so a key stored at the
  // start is retried up to 48 h and the run's seconds later by the stack's clock. Its record must
  // not expire in between (a retry would then execute afresh, a second effect the checker has no
  // model for): the longest TTL there is, 72 h, keeps 24 h to spare. The last purge's move and
  // the relay's grace-period moves come after the clients stopped, when no key is retried.
  @RegisterExtension
  static final Stack STACK = new Stack().env("PUBLISH_TIMEOUT", "PT2S")
      .env("TRASH_RETENTION", RETENTION.toString())
      .env("IDEMPOTENCY_TTL", "PT72H");

  private static long seed() {
    String given = System.getProperty("history.seed");
    return given == null || given.isBlank() ? new Random().nextInt(1_000_000)
        : Long.parseLong(given.trim());
  }

  private static int intProperty(String name, int fallback) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }

  @Test
  void randomConcurrentHistoryWithFaultsKeepsEveryInvariant() throws Exception {
    long seed = seed();
    int seconds = intProperty("history.seconds", 30);
    int clients = intProperty("history.clients", 6);
    int tenants = intProperty("history.tenants", 3);
    String reproduce = "mvn -B -o test -pl emulator-tests -am -Dtest=HistoryCheckerTest"
        + " -Dsurefire.failIfNoSpecifiedTests=false -Dhistory.seed=" + seed
        + " -Dhistory.seconds=" + seconds + " -Dhistory.clients=" + clients
        + " -Dhistory.tenants=" + tenants;
    String header = "HISTORY CHECK seed=" + seed + " clients=" + clients + " tenants="
        + tenants + " seconds=" + seconds;
    System.out.println(header + "\n  reproduce: " + reproduce);

    List<String> tenantIds = new ArrayList<>();
    for (int i = 0; i < tenants; i++) {
      tenantIds.add("h" + i);
    }
    History history = new History();
    HistoryClient.World world = new HistoryClient.World(tenantIds);
    long started = System.nanoTime();
    long deadline = started + TimeUnit.SECONDS.toNanos(seconds);
    HistoryClient.Purger purger = new HistoryClient.Purger(clients, world, STACK.api(),
        STACK.clock(), history, RETENTION,
        STACK.local().config().requestDeadline().dividedBy(2), seed, deadline, CLOCK_MOVES);
    ExecutorService pool = Executors.newFixedThreadPool(clients + 3);
    ExecutorService twins = Executors.newCachedThreadPool();
    Random deliveryRandom = new Random(seed * 31 + 7);
    List<PubsubMessage> late = new ArrayList<>();
    int[] delivered = new int[2];
    AtomicBoolean running = new AtomicBoolean(true);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        futures.add(pool.submit(new HistoryClient(c, seed, STACK.api(), history, world,
            deadline, twins)));
      }
      futures.add(pool.submit(new HistoryClient.Chaos(STACK.local().docstore().failpoints(),
          history, seed, deadline)));
      futures.add(pool.submit(purger));
      // The subscriber runs concurrently with the writers: some messages twice, some late.
      Future<?> deliveries = pool.submit(() -> {
        while (running.get()) {
          for (ReceivedMessage m : STACK.events().drain(40)) {
            deliver(m.getMessage(), deliveryRandom, late, delivered);
          }
        }
      });
      for (Future<?> f : futures) {
        f.get(seconds + 120L, TimeUnit.SECONDS);
      }
      running.set(false);
      deliveries.get(60, TimeUnit.SECONDS);
    } finally {
      running.set(false);
      STACK.local().docstore().failpoints().clear();
      pool.shutdownNow();
      twins.shutdownNow();
    }
    long runMillis = (System.nanoTime() - started) / 1_000_000;

    // A last purge, with no failpoint armed and nothing running beside it, of all the trash:
    // every trashed document must go, and what runs stopped by a failpoint left is finished.
    // This move is not one the keys must outlive: no key is retried any more.
    purger.expireAndPurgeAll("after the clients stopped");

    // The relay, as Cloud Scheduler runs it, until it finds nothing left; then every event.
    int relayed = 0;
    for (int i = 0; i < 5; i++) {
      Api.Response relay = STACK.relayAfterGracePeriod();
      assertEquals(200, relay.status(), relay.toString());
      int published = relay.json().get("published").asInt();
      relayed += published;
      if (published == 0) {
        break;
      }
    }
    for (ReceivedMessage m : STACK.events().drain(600)) {
      deliver(m.getMessage(), deliveryRandom, late, delivered);
    }
    for (PubsubMessage m : late) {
      assertTrue(STACK.deliver(m), "the subscriber accepts a late delivery");
      delivered[0]++;
    }

    StoreState state = StoreState.read(STACK.rows().client());
    state.objects.addAll(STACK.local().docstore().content().objectNamesUnder(""));
    state.invariantViolations.addAll(STACK.invariants().violations());
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    for (String t : tenantIds) {
      Api.Response usage = STACK.api().get(GET_USAGE).tenant(t)
          .query("from=" + today.minusDays(1) + "&to=" + today.plusDays(1)).send();
      assertEquals(200, usage.status(), usage.toString());
      for (JsonNode day : usage.json().get("days")) {
        state.apiUsage.add(new StoreState.Usage(t, day.get("day").asText(),
            day.get("operation").asText(), day.get("count").asLong()));
      }
    }

    HistoryChecker.Report report = HistoryChecker.check(history, state);
    List<History.Entry> entries = history.entries();
    long writes = entries.stream().filter(History.Entry::write).count();
    long committed = entries.stream().filter(History.Entry::committed).count();
    long replayed = entries.stream().filter(e -> e.replayed).count();
    long failed = entries.stream().filter(e -> e.status >= 500).count();
    long rejected = entries.stream().filter(e -> e.status >= 400 && e.status < 500).count();
    long purgeRuns = history.purges().size();
    long purged = state.outbox.stream()
        .filter(o -> o.type().equals(PURGE_TRASH.eventType())).count();
    String summary = String.format("  %d requests in %d ms (%d writes: %d committed, %d replayed,"
        + " %d 5xx, %d 4xx incl. reads); %d failpoints armed; %d events in the outbox, %d"
        + " relayed, %d deliveries (%d duplicates); %d purge runs purged %d documents;"
        + " %d documents, %d versions",
        entries.size(), runMillis, writes, committed, replayed, failed, rejected,
        history.arms().size(), state.outbox.size(), relayed, delivered[0], delivered[1],
        purgeRuns, purged, state.documents.size(), state.versions.size());
    System.out.println(header + "\n" + summary + "\n  outcomes: " + outcomes(entries));
    if (!report.ok()) {
      String text = report.render(header + "\n" + summary, reproduce);
      System.out.println(text);
      throw new AssertionError(text);
    }
    assertTrue(committed > 0,
        "the run committed writes and the checker saw them: " + summary);
    assertTrue(purged > 0, "the run purged documents and the checker saw them: " + summary);
    // Not only the last purge, after the clients stopped: the checks of calls after a purge
    // need purges among the clients.
    Map<String, History.Entry> runsAmongClients = history.purges().stream()
        .map(History.Purge::entry).filter(run -> run.startNanos < deadline)
        .collect(Collectors.toMap(run -> run.requestId, run -> run));
    Map<String, History.Entry> purgedAmongClients = state.outbox.stream()
        .filter(o -> o.type().equals(PURGE_TRASH.eventType())
            && runsAmongClients.containsKey(o.requestId()))
        .collect(Collectors.toMap(o -> o.tenant() + "/" + o.documentId(),
            o -> runsAmongClients.get(o.requestId())));
    assertFalse(purgedAmongClients.isEmpty(), "a purge while the clients ran: " + summary);
    // After its run answered: a 404 before it (a deleted version's content) shows nothing.
    assertTrue(entries.stream().anyMatch(e -> e.status == 404 && !e.crossTenant
            && purgedAmongClients.containsKey(e.tenant + "/" + e.documentId)
            && e.startedAfter(purgedAmongClients.get(e.tenant + "/" + e.documentId))),
        "a call of the owner on a document purged while the clients ran: " + summary);
  }

  /** function → "status code" → count, for seeing what a run exercised. */
  static Map<String, Map<String, Long>> outcomes(
      List<History.Entry> entries) {
    Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
    for (History.Entry e : entries) {
      String outcome = (e.status < 0 ? "none" : String.valueOf(e.status))
          + (e.code.isEmpty() ? "" : " " + e.code) + (e.replayed ? " replayed" : "")
          + (e.crossTenant ? " probe" : "");
      out.computeIfAbsent(e.function, k -> new java.util.TreeMap<>()).merge(outcome, 1L,
          Long::sum);
    }
    return out;
  }

  private static void deliver(PubsubMessage message, Random rnd, List<PubsubMessage> late,
      int[] delivered) {
    double r;
    synchronized (rnd) {
      r = rnd.nextDouble();
    }
    if (r < 0.1) {
      synchronized (late) {
        late.add(message);
      }
      return;
    }
    assertTrue(STACK.deliver(message), "the subscriber accepts the CloudEvent");
    delivered[0]++;
    if (r < 0.35) {
      assertTrue(STACK.deliver(message), "the subscriber accepts a redelivery");
      delivered[0]++;
      delivered[1]++;
    }
  }
}

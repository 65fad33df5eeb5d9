package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.local.Emulators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crash nemesis (docs/RELIABILITY.md): the local stack runs as a child JVM ({@link
 * ChildStack}); K concurrent clients send a seeded, keyed workload of every write function (and
 * reads) while the nemesis SIGKILLs the child at random moments and starts it again on the same
 * port, emulators, database and storage directory, as a platform replaces a crashed instance.
 * Requests in flight or sent while it is down get no response: unknown outcomes. Then every
 * client retries its unsettled keyed requests with the same keys until each has an answer, the
 * relay runs until it finds nothing, the child's own analytics bridge delivers every event, and
 * the {@link HistoryChecker} (in {@link HistoryChecker.Faults#TRANSPORT} mode) checks the history
 * against the store: at most one effect per key, every 2xx write present, versions contiguous,
 * every document with a live active version, usage equal to the committed writes, every event
 * counted once, and every live version's bytes served back after the restarts. No failpoints:
 * the faults are the kills.
 *
 * <p>Seeded: {@code -Dnemesis.seed=N} repeats the clients' choices and the kill schedule (the
 * interleavings still vary). Longer runs: {@code -Dnemesis.seconds}, {@code -Dnemesis.kills}
 * (the least number of kills; the run goes on until both are reached), {@code
 * -Dnemesis.clients}; {@code ./bench --crash} runs them.
 */
class CrashNemesisTest {
  /** The child's deadline on every request; an answered request ends within it and the margin. */
  private static final Duration REQUEST_DEADLINE = Duration.ofSeconds(5);
  /** Queueing in the child's server and this JVM's scheduling on a busy 2-core machine. */
  private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(3);

  private static Emulators emulators;

  @RegisterExtension
  static final BeforeAllCallback EMULATORS = context -> emulators = SharedEmulators.get(context);

  @Test
  void killedAndRestartedStackKeepsEveryKeyToOneEffect() throws Exception {
    long seed = Nemesis.seed("nemesis.seed");
    int seconds = Nemesis.intProperty("nemesis.seconds", 40);
    int minKills = Nemesis.intProperty("nemesis.kills", 5);
    int clients = Nemesis.intProperty("nemesis.clients", 4);
    List<String> tenants = List.of("n0", "n1");
    String reproduce = "mvn -B -o test -pl emulator-tests -am -Dtest=CrashNemesisTest"
        + " -Dsurefire.failIfNoSpecifiedTests=false -Dnemesis.seed=" + seed
        + " -Dnemesis.seconds=" + seconds + " -Dnemesis.kills=" + minKills
        + " -Dnemesis.clients=" + clients;
    String header = "CRASH NEMESIS seed=" + seed + " clients=" + clients + " seconds=" + seconds
        + " kills>=" + minKills;
    System.out.println(header + "\n  reproduce: " + reproduce);

    History history = new History();
    HistoryClient.World world = new HistoryClient.World(tenants);
    List<Nemesis.Window> up = new ArrayList<>();
    List<HistoryClient> workload = new ArrayList<>();
    try (ChildStack child = new ChildStack(emulators, "crash", Map.of(
        "REQUEST_DEADLINE", REQUEST_DEADLINE.toString(),
        "PUBLISH_TIMEOUT", "PT2S"), List.of("-XX:TieredStopAtLevel=1"))) {
      long started = System.nanoTime();
      child.start();
      long readyAt = System.nanoTime();
      Api api = new Api(child.baseUrl());
      AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      ExecutorService twins = Executors.newCachedThreadPool();
      List<Long> kills = new ArrayList<>();
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          HistoryClient client = new HistoryClient(c, seed, api, history, world, stopAt::get,
              twins).keyedOnly();
          workload.add(client);
          futures.add(pool.submit(client));
        }
        // The nemesis: up for 1.5 to 4 s (the clients' requests in flight at the kill get no
        // answer), SIGKILL, down for up to 0.7 s (refused connections), start again.
        Random rnd = new Random(seed * 7_919L + 3);
        long end = started + TimeUnit.SECONDS.toNanos(seconds);
        while (kills.size() < minKills || System.nanoTime() < end) {
          Thread.sleep(1_500 + rnd.nextInt(2_500));
          long killedAt = System.nanoTime();
          child.kill();
          kills.add(killedAt);
          up.add(new Nemesis.Window(readyAt, killedAt));
          Thread.sleep(rnd.nextInt(700));
          child.start();
          readyAt = System.nanoTime();
        }
        // A last stretch of traffic on the restarted child, then the clients stop.
        Thread.sleep(1_000);
        stopAt.set(System.nanoTime());
        for (Future<?> f : futures) {
          f.get(120, TimeUnit.SECONDS);
        }
        up.add(new Nemesis.Window(readyAt, Long.MAX_VALUE));

        // Every client retries what it does not know the outcome of, with the same keys.
        Nemesis.settleAll(pool, workload, child);
      } finally {
        stopAt.set(0);
        pool.shutdownNow();
        twins.shutdownNow();
      }
      long runMillis = (System.nanoTime() - started) / 1_000_000;

      Nemesis.Ending ending = Nemesis.finish(api, child, history, tenants, List.of());
      StoreState state = ending.state();
      List<History.Entry> entries = history.entries();
      Nemesis.Figures figures = Nemesis.figures(entries, up);
      StringBuilder killTimes = new StringBuilder();
      kills.forEach(k -> killTimes.append(" t+").append(history.millis(k)).append("ms"));
      String summary = String.format("  %d kills (SIGKILL at%s), %d starts; %s; %d events in"
          + " the outbox, %d relayed at the end, %d counted by the child's subscriber;"
          + " %d documents, %d versions, %d read back; run %d ms",
          kills.size(), killTimes, child.starts(), figures, state.outbox.size(),
          ending.relayed(), ending.delivered(), state.documents.size(), state.versions.size(),
          state.served.size(), runMillis);
      System.out.println(header + "\n" + summary + "\n  outcomes: "
          + HistoryCheckerTest.outcomes(entries));
      ending.assertOk(header + "\n" + summary, reproduce);
      assertTrue(kills.size() >= minKills, summary);
      assertTrue(figures.unknown() > 0, "no request was caught by a kill: " + summary);
      assertTrue(figures.committed() > 0, "nothing committed: " + summary);
      assertTrue(figures.maxAnsweredMillis() <= REQUEST_DEADLINE.plus(DEADLINE_MARGIN)
          .toMillis(), "a request answered later than REQUEST_DEADLINE " + REQUEST_DEADLINE
          + " + " + DEADLINE_MARGIN + ": " + summary);
    }
  }
}

package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.local.Emulators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soak (docs/RELIABILITY.md): mixed traffic ({@link HistoryClient}s, every function, keyed and
 * keyless writes) through a child-process local stack for a bounded time, sampling the child's
 * resident memory, heap after a full GC, threads and open file descriptors after a warm-up and
 * then periodically; fails if any of them keeps growing, and checks the run's history with the
 * {@link HistoryChecker} like any other.
 *
 * <p>{@code -Dsoak.seconds} (default 60, of which the first 10 s are the warm-up) and {@code
 * -Dsoak.seed}; {@code ./bench --soak} runs it for 10 minutes.
 */
class SoakTest {
  private static final Pattern STATUS_FIELD = Pattern.compile("^(VmRSS|Threads):\\s+(\\d+)",
      Pattern.MULTILINE);
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)",
      Pattern.MULTILINE);

  private static Emulators emulators;

  @RegisterExtension
  static final BeforeAllCallback EMULATORS = context -> emulators = SharedEmulators.get(context);

  /** One sample of the child: RSS and live heap in KiB, threads, open file descriptors. */
  record Sample(long atMillis, long rssKib, long heapKib, long threads, long fds) {
    @Override
    public String toString() {
      return String.format("t+%ds rss=%dMiB heap=%dMiB threads=%d fds=%d", atMillis / 1000,
          rssKib / 1024, heapKib / 1024, threads, fds);
    }
  }

  @Test
  void mixedTrafficForAWhileGrowsNoResource() throws Exception {
    long seed = Nemesis.seed("soak.seed");
    int seconds = Nemesis.intProperty("soak.seconds", 60);
    int clients = Nemesis.intProperty("soak.clients", 3);
    long warmUpMillis = Math.min(10_000, seconds * 1000L / 6);
    String reproduce = "mvn -B -o test -pl emulator-tests -am -Dtest=SoakTest"
        + " -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.seed=" + seed + " -Dsoak.seconds="
        + seconds;
    String header = "SOAK seed=" + seed + " clients=" + clients + " seconds=" + seconds;
    System.out.println(header + "\n  reproduce: " + reproduce);
    List<String> tenants = List.of("s0", "s1", "s2");
    History history = new History();
    HistoryClient.World world = new HistoryClient.World(tenants);
    List<Sample> samples = new ArrayList<>();
    // The per-request INFO lines would make the child's log the biggest thing the soak grows.
    try (ChildStack child = new ChildStack(emulators, "soak", Map.of(
        "DOCSTORE_LOG_LEVEL", "WARN"), List.of()).start()) {
      Api api = new Api(child.baseUrl());
      long started = System.nanoTime();
      long end = started + TimeUnit.SECONDS.toNanos(seconds);
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      ExecutorService twins = Executors.newCachedThreadPool();
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          futures.add(pool.submit(new HistoryClient(c, seed, api, history, world, end, twins)));
        }
        Thread.sleep(warmUpMillis);
        long every = Math.max(3_000, (seconds * 1000L - warmUpMillis) / 12);
        while (System.nanoTime() < end) {
          samples.add(sample(child, started));
          Thread.sleep(Math.min(every, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
        }
        for (Future<?> f : futures) {
          f.get(120, TimeUnit.SECONDS);
        }
        samples.add(sample(child, started));
      } finally {
        pool.shutdownNow();
        twins.shutdownNow();
      }

      int relayed = Nemesis.relayUntilEmpty(api);
      Nemesis.awaitEveryEventCounted(new Rows(child.databaseClient()), Duration.ofSeconds(60));
      StoreState state = StoreState.read(child.databaseClient());
      Nemesis.readUsage(api, tenants, state);
      state.invariantViolations.addAll(new InvariantChecker(child.databaseClient(),
          child.contentStore()).violations());
      HistoryChecker.Report report = HistoryChecker.check(history, state);
      List<History.Entry> entries = history.entries();
      Nemesis.Figures figures = Nemesis.figures(entries,
          List.of(new Nemesis.Window(started, Long.MAX_VALUE)));
      List<String> growing = growing(samples);
      String summary = "  " + figures + "; " + relayed + " relayed at the end\n  start "
          + samples.get(0) + "\n  end   " + samples.get(samples.size() - 1) + "\n  samples "
          + samples;
      System.out.println(header + "\n" + summary + "\n  outcomes: "
          + HistoryCheckerTest.outcomes(entries));
      if (!report.ok()) {
        String text = report.render(header + "\n" + summary, reproduce);
        System.out.println(text);
        throw new AssertionError(text);
      }
      assertTrue(growing.isEmpty(), "the child keeps growing: " + growing + "\n" + summary);
      assertTrue(figures.committed() > 0, "nothing committed: " + summary);
    }
  }

  /**
   * What keeps growing, robustly on a noisy shared machine: the samples split into thirds, a
   * figure grows when even the lowest sample of the last third is above the highest of the first
   * third by more than a margin. A leak lifts the floor steadily; GC timing, JIT and allocator
   * arenas only move single samples, and a one-off step (a lazily built client, a pool filling
   * up) lands in the first third after the warm-up or stays under the margin. Margins: memory
   * 15% (at least 24 MiB of RSS, 8 MiB of live heap); threads 8 and file descriptors 16 in
   * absolute terms, since those should be flat once every pool has its threads and connections.
   */
  static List<String> growing(List<Sample> samples) {
    List<String> out = new ArrayList<>();
    if (samples.size() < 3) {
      return out;
    }
    int third = samples.size() / 3;
    List<Sample> first = samples.subList(0, third);
    List<Sample> last = samples.subList(samples.size() - third, samples.size());
    check(out, "RSS (KiB)", first, last, Sample::rssKib, 0.15, 24 * 1024);
    check(out, "heap after GC (KiB)", first, last, Sample::heapKib, 0.15, 8 * 1024);
    check(out, "threads", first, last, Sample::threads, 0, 8);
    check(out, "file descriptors", first, last, Sample::fds, 0, 16);
    return out;
  }

  private static void check(List<String> out, String name, List<Sample> first, List<Sample> last,
      java.util.function.ToLongFunction<Sample> figure, double share, long atLeast) {
    long firstMax = first.stream().mapToLong(figure).max().orElseThrow();
    long lastMin = last.stream().mapToLong(figure).min().orElseThrow();
    long margin = Math.max(atLeast, (long) (firstMax * share));
    if (lastMin > firstMax + margin) {
      out.add(name + ": the last third's minimum " + lastMin + " is above the first third's"
          + " maximum " + firstMax + " by more than " + margin);
    }
  }

  private static Sample sample(ChildStack child, long startedNanos) {
    long pid = child.pid();
    String status = read(Path.of("/proc/" + pid + "/status"));
    long rss = 0;
    long threads = 0;
    Matcher m = STATUS_FIELD.matcher(status);
    while (m.find()) {
      if (m.group(1).equals("VmRSS")) {
        rss = Long.parseLong(m.group(2));
      } else {
        threads = Long.parseLong(m.group(2));
      }
    }
    long fds;
    try (Stream<Path> open = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds = open.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Sample((System.nanoTime() - startedNanos) / 1_000_000, rss, liveHeapKib(pid),
        threads, fds);
  }

  /**
   * The child's live heap: {@code jcmd GC.class_histogram} runs a full GC first and totals the
   * bytes of the objects that survived it.
   */
  private static long liveHeapKib(long pid) {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    Path jcmd = java.resolveSibling("jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("jcmd did not answer within 60 s");
      }
      Matcher m = HISTOGRAM_TOTAL.matcher(out);
      if (!m.find()) {
        throw new AssertionError("no Total line from jcmd GC.class_histogram:\n"
            + out.substring(Math.max(0, out.length() - 2000)));
      }
      return Long.parseLong(m.group(1)) / 1024;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

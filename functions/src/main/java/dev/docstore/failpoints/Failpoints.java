package dev.docstore.failpoints;

import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.SpannerExceptionFactory;
import dev.docstore.config.Config;
import dev.docstore.config.ConfigException;
import dev.docstore.write.WriteOperation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named fault-injection points, {@code {function}.{step}}, between the steps of every write.
 *
 * <p>They work only with FAILPOINTS_ENABLED=true against an emulator; {@link Config} refuses to
 * start when they are configured anywhere else. When nothing is armed, {@link #hit} costs one
 * volatile read.
 */
public final class Failpoints {
  private static final Pattern ACTION =
      Pattern.compile("(?:(\\d+)\\*)?(error|abort|off|delay\\((\\d+)\\))");

  private final boolean enabled;
  private final Map<String, Armed> armed = new ConcurrentHashMap<>();
  private volatile boolean anyArmed;

  private Failpoints(boolean enabled) {
    this.enabled = enabled;
  }

  public static Failpoints disabled() {
    return new Failpoints(false);
  }

  public static Failpoints from(Config config) {
    if (!config.failpointsEnabled()) {
      if (!config.failpoints().isBlank()) {
        throw new ConfigException("FAILPOINTS is set but FAILPOINTS_ENABLED is not true");
      }
      return disabled();
    }
    if (!config.onEmulator()) {
      throw new ConfigException("failpoints need an emulator host (SPANNER_EMULATOR_HOST)");
    }
    Failpoints failpoints = new Failpoints(true);
    failpoints.configure(config.failpoints());
    return failpoints;
  }

  /**
   * Every failpoint that exists, derived from the write operations, so a test matrix iterates
   * them without a hand-kept list.
   */
  public static List<Failpoint> registry() {
    return WriteOperation.allFailpoints();
  }

  private static boolean known(String name) {
    return registry().stream().anyMatch(f -> f.name().equals(name));
  }

  /** Arms points from {@code name=action;name=action}, the FAILPOINTS syntax. */
  public void configure(String spec) {
    for (String entry : spec.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new ConfigException("FAILPOINTS entry '" + entry + "' must be name=action");
      }
      set(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
  }

  /** Arms one point, e.g. {@code set("createDocument.beforeCommit", "2*error")}. */
  public void set(String name, String action) {
    if (!enabled) {
      throw new IllegalStateException("failpoints are disabled in this process");
    }
    if (!known(name)) {
      throw new ConfigException("unknown failpoint '" + name + "'");
    }
    Matcher m = ACTION.matcher(action);
    if (!m.matches()) {
      throw new ConfigException(
          "failpoint action '" + action + "' must be error, abort, delay(ms) or off,"
              + " optionally with a count such as 2*error");
    }
    if (m.group(2).equals("off")) {
      armed.remove(name);
    } else {
      int count;
      long delay;
      try {
        count = m.group(1) == null ? Integer.MAX_VALUE : Integer.parseInt(m.group(1));
        delay = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
      } catch (NumberFormatException e) {
        // Only overflow gets here (the pattern admits digits only): a bad spec, not a crash.
        throw new ConfigException(
            "failpoint action '" + action + "' has a count or delay that is too large");
      }
      String kind = m.group(2).startsWith("delay") ? "delay" : m.group(2);
      armed.put(name, new Armed(kind, delay, new AtomicInteger(count)));
    }
    anyArmed = !armed.isEmpty();
  }

  public void clear() {
    armed.clear();
    anyArmed = false;
  }

  /** Fires the point if armed. */
  public void hit(String name) {
    if (!anyArmed) {
      return;
    }
    Armed point = armed.get(name);
    if (point == null || point.remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) <= 0) {
      return;
    }
    switch (point.kind) {
      case "error" -> throw new FailpointException(name);
      case "abort" -> throw SpannerExceptionFactory.newSpannerException(
          ErrorCode.ABORTED, "failpoint " + name);
      case "delay" -> sleep(point.delayMillis);
      default -> throw new IllegalStateException(point.kind);
    }
  }

  /** Whether {@code name} is armed to fail now, for post-commit points that skip a step. */
  public boolean fires(String name) {
    try {
      hit(name);
      return false;
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Armed(String kind, long delayMillis, AtomicInteger remaining) {}
}

package dev.docstore.failpoints;

import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.SpannerExceptionFactory;
import dev.docstore.api.Failpoint;
import dev.docstore.api.Operation;
import dev.docstore.config.Config;
import dev.docstore.config.ConfigException;
import io.grpc.Context;
import io.grpc.Deadline;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Armed fault injection at the {@link Failpoint}s the operation catalog declares.
 *
 * <p>A {@link Config} exists only if failpoints are off or an emulator host is set (its one
 * emulator guard), so here they are either disabled or allowed. When nothing is armed,
 * {@link #hit} costs one volatile read.
 */
public final class Failpoints {
  private static final Pattern ACTION =
      Pattern.compile("(?:(\\d+)\\*)?(error|abort|off|delay\\((\\d+)\\))");

  private final boolean enabled;
  private final Map<Failpoint, Armed> armed = new ConcurrentHashMap<>();
  private volatile boolean anyArmed;

  private Failpoints(boolean enabled) {
    this.enabled = enabled;
  }

  public static Failpoints disabled() {
    return new Failpoints(false);
  }

  public static Failpoints from(Config config) {
    if (!config.failpointsEnabled()) {
      return disabled();
    }
    Failpoints failpoints = new Failpoints(true);
    failpoints.configure(config.failpoints());
    return failpoints;
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

  /** Arms one point by name, e.g. {@code set("createDocument.beforeCommit", "2*error")}. */
  public void set(String name, String action) {
    set(Operation.failpointNamed(name)
        .orElseThrow(() -> new ConfigException("unknown failpoint '" + name + "'")), action);
  }

  /** Arms one point, e.g. {@code set(CREATE_DOCUMENT.failpoint(BEFORE_COMMIT), "2*error")}. */
  public void set(Failpoint point, String action) {
    if (!enabled) {
      throw new IllegalStateException("failpoints are disabled in this process");
    }
    Matcher m = ACTION.matcher(action);
    if (!m.matches()) {
      throw new ConfigException(
          "failpoint action '" + action + "' must be error, abort, delay(ms) or off,"
              + " optionally with a count such as 2*error");
    }
    if (m.group(2).equals("off")) {
      armed.remove(point);
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
      Kind kind = m.group(2).startsWith("delay") ? Kind.DELAY
          : m.group(2).equals("abort") ? Kind.ABORT : Kind.ERROR;
      armed.put(point, new Armed(kind, delay, new AtomicInteger(count)));
    }
    anyArmed = !armed.isEmpty();
  }

  public void clear() {
    armed.clear();
    anyArmed = false;
  }

  /** Fires the point if armed. */
  public void hit(Failpoint point) {
    if (!anyArmed) {
      return;
    }
    Armed armedPoint = armed.get(point);
    if (armedPoint == null
        || armedPoint.remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) <= 0) {
      return;
    }
    switch (armedPoint.kind) {
      case ERROR -> throw new FailpointException(point.name());
      case ABORT -> throw SpannerExceptionFactory.newSpannerException(
          ErrorCode.ABORTED, "failpoint " + point.name());
      case DELAY -> sleep(armedPoint.delayMillis);
    }
  }

  /** Whether {@code point} is armed to fail now, for post-commit points that skip a step. */
  public boolean fires(Failpoint point) {
    try {
      hit(point);
      return false;
    } catch (RuntimeException e) {
      return true;
    }
  }

  /**
   * A delay stands for a slow step, and a slow step is cut short by the request's deadline (a
   * gRPC {@link Context} deadline) as a slow RPC would be: it sleeps at most until then, and what
   * follows it then fails on the expired deadline through the clients. A cut step sleeps until
   * the deadline has passed, not to the millisecond before it: a commit started with a fraction
   * of a millisecond left would reach the server and might apply, which is a different fault
   * (an unknown outcome) from the slow step this stands for.
   */
  private static void sleep(long millis) {
    Deadline wanted = Deadline.after(millis, TimeUnit.MILLISECONDS);
    Deadline request = Context.current().getDeadline();
    Deadline end = request == null ? wanted : request.minimum(wanted);
    try {
      while (!end.isExpired()) {
        TimeUnit.NANOSECONDS.sleep(end.timeRemaining(TimeUnit.NANOSECONDS) + 1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private enum Kind { ERROR, ABORT, DELAY }

  private record Armed(Kind kind, long delayMillis, AtomicInteger remaining) {}
}

package dev.docstore.http;

import io.grpc.Context;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * REQUEST_DEADLINE on one request or invocation, as a gRPC {@link Context} deadline around it.
 * Every gRPC call started inside (each Spanner read, statement and commit) is bounded by it
 * through the clients' own mechanism: a call still running at the deadline is cancelled with
 * DEADLINE_EXCEEDED, and one started after it fails at once; the pauses between ABORTED attempts
 * end at it too (store/BoundedTransaction). Nothing abandons the thread: the
 * request ends on its own thread with the failure, which answers 503 {@code unavailable}.
 * Callers outside gRPC (the Storage calls, the wait on a publish) read what is left of it from
 * {@code Context.current().getDeadline()}.
 */
public final class RequestDeadline implements AutoCloseable {
  private final Duration deadline;
  /** Only cancels contexts at their deadline; one daemon thread per instance. */
  private final ScheduledExecutorService timer;

  public RequestDeadline(Duration deadline) {
    this.deadline = deadline;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "docstore-request-deadline");
      t.setDaemon(true);
      return t;
    });
  }

  public Duration deadline() {
    return deadline;
  }

  /** Runs {@code work} on this thread inside a fresh deadline of its own. */
  public <T> T within(Supplier<T> work) {
    Context.CancellableContext scope = Context.current()
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS, timer);
    Context previous = scope.attach();
    try {
      return work.get();
    } finally {
      scope.detach(previous);
      // Releases the pending timer task and the listeners of calls still attached to it.
      scope.cancel(null);
    }
  }

  /**
   * Runs {@code build} outside any request's deadline: for what outlives the request (the
   * instance's clients, built on first use), so that nothing they start in the background
   * (session creation) is tied to the request that happened to build them.
   */
  public static <T> T outside(Supplier<T> build) {
    Context previous = Context.ROOT.attach();
    try {
      return build.get();
    } finally {
      Context.ROOT.detach(previous);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

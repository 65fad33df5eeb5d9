package dev.docstore.it;

import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Latency on the way back from Spanner, for the functions' Spanner channel: the answers of the
 * named RPCs (the server has done its work: a read's rows, a commit's outcome) are held for a
 * while before the client sees them, as on a slow network path. Held past the call's deadline
 * (the request's gRPC context deadline, or the call's own), the call ends DEADLINE_EXCEEDED at
 * that deadline, as gRPC ends a call whose answer has not arrived: so a held commit is one whose
 * outcome the client cannot learn.
 *
 * <p>Or aborted commits ({@link #abortCommits}): every Commit is answered ABORTED, with a retry
 * delay in its RetryInfo trailer as Spanner sends one, without reaching the server, so the
 * transaction keeps retrying and nothing commits.
 */
final class SpannerLatency implements ClientInterceptor {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spanner-latency");
        t.setDaemon(true);
        return t;
      });

  private record Hold(Set<String> methods, long millis) {}

  private static final Metadata.Key<RetryInfo> RETRY_INFO =
      ProtoUtils.keyForProto(RetryInfo.getDefaultInstance());

  private volatile Hold hold;
  private volatile Duration abortRetryDelay;

  /** Holds the answers of {@code methods} (bare gRPC method names) for {@code delay}. */
  void hold(Duration delay, String... methods) {
    hold = new Hold(Set.of(methods), delay.toMillis());
  }

  /** Answers every Commit ABORTED, asking the client to wait {@code retryDelay} before retrying. */
  void abortCommits(Duration retryDelay) {
    abortRetryDelay = retryDelay;
  }

  void clear() {
    hold = null;
    abortRetryDelay = null;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
      CallOptions options, Channel next) {
    Duration abortDelay = abortRetryDelay;
    if (abortDelay != null && method.getBareMethodName().equals("Commit")) {
      return aborted(abortDelay);
    }
    Hold current = hold;
    ClientCall<Q, R> call = next.newCall(method, options);
    if (current == null || !current.methods().contains(method.getBareMethodName())) {
      return call;
    }
    Deadline deadline = earlier(Context.current().getDeadline(), options.getDeadline());
    return new SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(new HeldListener<>(listener, current.millis(), deadline), headers);
      }
    };
  }

  private static <Q, R> ClientCall<Q, R> aborted(Duration retryDelay) {
    Metadata trailers = new Metadata();
    trailers.put(RETRY_INFO, RetryInfo.newBuilder().setRetryDelay(
        com.google.protobuf.Duration.newBuilder().setSeconds(retryDelay.toSeconds())
            .setNanos(retryDelay.toNanosPart())).build());
    return new ClientCall<>() {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        TIMER.execute(() -> listener.onClose(
            Status.ABORTED.withDescription("aborted by the test"), trailers));
      }

      @Override
      public void request(int numMessages) {}

      @Override
      public void cancel(String message, Throwable cause) {}

      @Override
      public void halfClose() {}

      @Override
      public void sendMessage(Q message) {}
    };
  }

  private static Deadline earlier(Deadline a, Deadline b) {
    return a == null ? b : b == null ? a : a.minimum(b);
  }

  /** Queues what the call hears until released: after the delay, or at the deadline. */
  private static final class HeldListener<R> extends ClientCall.Listener<R> {
    private final ClientCall.Listener<R> listener;
    private final List<Runnable> held = new ArrayList<>();
    private boolean released;
    private boolean closed;

    HeldListener(ClientCall.Listener<R> listener, long delayMillis, Deadline deadline) {
      this.listener = listener;
      long untilDeadline = deadline == null ? Long.MAX_VALUE
          : Math.max(0, deadline.timeRemaining(TimeUnit.MILLISECONDS));
      if (untilDeadline <= delayMillis) {
        TIMER.schedule(this::deadlinePassed, untilDeadline, TimeUnit.MILLISECONDS);
      } else {
        TIMER.schedule(this::release, delayMillis, TimeUnit.MILLISECONDS);
      }
    }

    private synchronized void deadlinePassed() {
      released = true;
      held.clear();
      close(Status.DEADLINE_EXCEEDED.withDescription("the answer was held past the deadline"),
          new Metadata());
    }

    private synchronized void release() {
      released = true;
      held.forEach(Runnable::run);
      held.clear();
    }

    private synchronized void deliver(Runnable event) {
      if (released) {
        event.run();
      } else {
        held.add(event);
      }
    }

    private void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        listener.onClose(status, trailers);
      }
    }

    @Override
    public void onHeaders(Metadata headers) {
      deliver(() -> {
        if (!closed) {
          listener.onHeaders(headers);
        }
      });
    }

    @Override
    public void onMessage(R message) {
      deliver(() -> {
        if (!closed) {
          listener.onMessage(message);
        }
      });
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      deliver(() -> close(status, trailers));
    }

    @Override
    public void onReady() {
      listener.onReady();
    }
  }
}

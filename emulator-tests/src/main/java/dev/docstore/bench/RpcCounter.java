package dev.docstore.bench;

import com.google.api.gax.grpc.GrpcInterceptorProvider;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the Spanner RPCs a Docstore sends, by method name (e.g. "ExecuteStreamingSql"), and the
 * calls that ended ABORTED. Install with {@code Docstore.Builder#spannerInterceptors}. Used by
 * the integration tests and the benchmark.
 */
public final class RpcCounter implements GrpcInterceptorProvider {
  /** Session housekeeping of the client's pool: not a round trip of any one operation. */
  static final Set<String> SESSION_MANAGEMENT =
      Set.of("BatchCreateSessions", "CreateSession", "DeleteSession", "GetSession");

  private final List<String> calls = new ArrayList<>();
  private final AtomicLong aborted = new AtomicLong();

  @Override
  public List<ClientInterceptor> getInterceptors() {
    return List.of(new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
          CallOptions options, Channel next) {
        synchronized (calls) {
          calls.add(method.getBareMethodName());
        }
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            super.start(new SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                if (status.getCode() == Status.Code.ABORTED) {
                  aborted.incrementAndGet();
                }
                super.onClose(status, trailers);
              }
            }, headers);
          }
        };
      }
    });
  }

  /** The calls made while {@code action} ran (run it alone: other threads' calls count too). */
  public List<String> during(Runnable action) {
    int from;
    synchronized (calls) {
      from = calls.size();
    }
    action.run();
    synchronized (calls) {
      return new ArrayList<>(calls.subList(from, calls.size()));
    }
  }

  /** Calls, of any thread, that have ended with status ABORTED so far. */
  public long aborted() {
    return aborted.get();
  }

  /** The round trips among {@code calls}: everything but the session pool's housekeeping. */
  public static List<String> roundTrips(List<String> calls) {
    return calls.stream().filter(c -> !SESSION_MANAGEMENT.contains(c)).toList();
  }
}

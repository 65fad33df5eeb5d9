package dev.docstore.it;

import com.google.api.gax.grpc.GrpcInterceptorProvider;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.List;

/** Counts the Spanner RPCs a Docstore sends, by method name (e.g. "ExecuteStreamingSql"). */
public final class RpcCounter implements GrpcInterceptorProvider {
  private final List<String> calls = new ArrayList<>();

  @Override
  public List<ClientInterceptor> getInterceptors() {
    return List.of(new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
          CallOptions options, Channel next) {
        String name = method.getBareMethodName();
        synchronized (calls) {
          calls.add(name);
        }
        return next.newCall(method, options);
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
}

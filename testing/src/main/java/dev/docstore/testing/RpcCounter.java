package dev.docstore.testing;

import com.google.api.gax.grpc.GrpcInterceptorProvider;
import com.google.spanner.v1.BeginTransactionRequest;
import com.google.spanner.v1.CommitRequest;
import com.google.spanner.v1.ExecuteSqlRequest;
import com.google.spanner.v1.ReadRequest;
import com.google.spanner.v1.RollbackRequest;
import com.google.spanner.v1.TransactionSelector;
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
 * Counts the Spanner RPCs a client sends, by method name with the transaction it belongs to
 * (e.g. "ExecuteStreamingSql[begin]", see {@link #label}), and the calls that ended ABORTED.
 * Install it as the gRPC interceptor provider of the functions' Spanner client (the spanner
 * interceptors of the functions' builder). Used by the integration tests and the benchmark.
 */
public final class RpcCounter implements GrpcInterceptorProvider {
  /** Session housekeeping of the client's pool: not a round trip of any one operation. */
  static final Set<String> SESSION_MANAGEMENT =
      Set.of("BatchCreateSessions", "CreateSession", "DeleteSession", "GetSession");

  private final List<String> calls = new ArrayList<>();
  private final List<String> commitTags = new ArrayList<>();
  private final List<ReadRequest> reads = new ArrayList<>();
  private final AtomicLong aborted = new AtomicLong();

  @Override
  public List<ClientInterceptor> getInterceptors() {
    return List.of(new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
          CallOptions options, Channel next) {
        String name = method.getBareMethodName();
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void sendMessage(Q message) {
            // Every Spanner data RPC sends exactly one request message.
            synchronized (calls) {
              calls.add(label(name, message));
              if (message instanceof CommitRequest commit) {
                commitTags.add(commit.getRequestOptions().getTransactionTag());
              } else if (message instanceof ReadRequest read) {
                reads.add(read);
              }
            }
            super.sendMessage(message);
          }

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
    return appendedTo(calls, action);
  }

  /**
   * The read-API requests sent while {@code action} ran, whole (table, index, key set, limit):
   * what a round-trip count cannot tell apart, a bounded seek from a scan.
   */
  public List<ReadRequest> readsDuring(Runnable action) {
    return appendedTo(reads, action);
  }

  /** What the interceptor appended to {@code log} (guarded by {@code calls}) during the action. */
  private <T> List<T> appendedTo(List<T> log, Runnable action) {
    int from;
    synchronized (calls) {
      from = log.size();
    }
    action.run();
    synchronized (calls) {
      return new ArrayList<>(log.subList(from, log.size()));
    }
  }

  /** The transaction tag of every Commit so far, in order ("" for an untagged one). */
  public List<String> commitTags() {
    synchronized (calls) {
      return List.copyOf(commitTags);
    }
  }

  /** Calls, of any thread, that have ended with status ABORTED so far. */
  public long aborted() {
    return aborted.get();
  }

  /**
   * The call's name with how it relates to a read-write transaction, from its request:
   * {@code [begin]} starts one (inline begin, or BeginTransaction), {@code [tx]} runs in one,
   * {@code [single-use]} is a read-only single-use read or a single-use commit
   * ({@code writeAtLeastOnce}); names without a suffix carry no transaction.
   */
  static String label(String name, Object request) {
    TransactionSelector selector = null;
    if (request instanceof ExecuteSqlRequest sql) {
      selector = sql.getTransaction();
    } else if (request instanceof ReadRequest read) {
      selector = read.getTransaction();
    } else if (request instanceof CommitRequest commit) {
      return name + (commit.hasSingleUseTransaction() ? "[single-use]" : "[tx]");
    } else if (request instanceof BeginTransactionRequest || request instanceof RollbackRequest) {
      return name + (request instanceof RollbackRequest ? "[tx]" : "[begin]");
    }
    if (selector == null) {
      return name;
    }
    return name + (selector.hasBegin() ? "[begin]" : selector.hasId() ? "[tx]" : "[single-use]");
  }

  /** Whether a labelled call is part of a read-write transaction (its begin, body or end). */
  static boolean inTransaction(String label) {
    return label.endsWith("[begin]") || label.endsWith("[tx]");
  }

  /** The calls of a read-write transaction among {@code calls}, retries included. */
  public static List<String> transactional(List<String> calls) {
    return calls.stream().filter(RpcCounter::inTransaction).toList();
  }

  /** The labels without their suffix, e.g. for comparing with plain method names. */
  public static List<String> names(List<String> labels) {
    return labels.stream().map(RpcCounter::name).toList();
  }

  /** The round trips among {@code calls}: everything but the session pool's housekeeping. */
  public static List<String> roundTrips(List<String> calls) {
    return calls.stream().filter(c -> !SESSION_MANAGEMENT.contains(name(c))).toList();
  }

  private static String name(String label) {
    int bracket = label.indexOf('[');
    return bracket < 0 ? label : label.substring(0, bracket);
  }
}

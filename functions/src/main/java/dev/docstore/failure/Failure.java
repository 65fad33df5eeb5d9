package dev.docstore.failure;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.SpannerException;
import com.google.cloud.storage.StorageException;
import dev.docstore.api.Condition;
import dev.docstore.api.DocstoreException;
import dev.docstore.failpoints.FailpointException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a failure means, decided in one place for the HTTP answer, the ROLLBACK line, the publish
 * warning and the clean-up of a write: one walk of the cause chain, finding the first cause we
 * recognise.
 *
 * @param kind what happened, which also says whether the write certainly applied nothing
 * @param condition the answer's condition ({@link Condition#UNAVAILABLE} for anything transient)
 * @param detail the answer's detail, written by us, never an exception's text
 * @param code a short, content-free code for log lines: the condition's code when refused
 *     ({@code version_state}), {@code failpoint} when injected, else that of the exception thrown
 *     (its Spanner code as {@code spanner_aborted}, its gRPC code as {@code UNAVAILABLE}, or its
 *     class name)
 * @param refusal the exception that refused the request when the kind is {@link Kind#REFUSED},
 *     however deep in the cause chain it was found, for what its answer states beside the
 *     problem (the method allowed, the content's length); null for every other kind
 */
public record Failure(Kind kind, Condition condition, String detail, String code,
    DocstoreException refusal) {
  public enum Kind {
    /** A {@link DocstoreException}: the request was refused; nothing was applied. */
    REFUSED,
    /** A failpoint fired: nothing was applied. */
    INJECTED,
    /** A dependency is unavailable: retry with the same key; a commit's outcome may be unknown. */
    TRANSIENT,
    /** Anything else: a bug. */
    INTERNAL
  }

  static final String RETRY = "a dependency is unavailable; retry with the same Idempotency-Key";
  static final String INTERNAL_DETAIL =
      "an internal error occurred; it was logged with the request id";

  private static final Set<ErrorCode> TRANSIENT_SPANNER = Set.of(ErrorCode.UNAVAILABLE,
      ErrorCode.DEADLINE_EXCEEDED, ErrorCode.RESOURCE_EXHAUSTED, ErrorCode.ABORTED);

  /** The answer's extension members (the current etag of a 412); empty unless refused. */
  public Map<String, String> problemMembers() {
    return refusal == null ? Map.of() : refusal.problemMembers();
  }

  /** Whether the write this failure ended certainly applied nothing of its request. */
  public boolean nothingApplied() {
    return kind == Kind.REFUSED || kind == Kind.INJECTED;
  }

  public static Failure of(Throwable failure) {
    // Our own exceptions first, however deep: the Spanner client wraps what a transaction
    // callable throws in a SpannerException of its own.
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DocstoreException refused) {
        return new Failure(Kind.REFUSED, refused.condition(), refused.detail(),
            refused.condition().code(), refused);
      }
      if (t instanceof FailpointException) {
        return new Failure(Kind.INJECTED, Condition.UNAVAILABLE, RETRY, "failpoint", null);
      }
    }
    String code = topLevelCode(failure);
    for (Throwable t = failure; t != null; t = t.getCause()) {
      boolean transientCause =
          t instanceof SpannerException se && TRANSIENT_SPANNER.contains(se.getErrorCode())
          || t instanceof StorageException st
              && (st.getCode() >= 500 || st.getCode() == 429 || st.isRetryable())
          || t instanceof ApiException gax && gax.isRetryable()
          || brokenTransport(t);
      if (transientCause) {
        return new Failure(Kind.TRANSIENT, Condition.UNAVAILABLE, RETRY, code, null);
      }
    }
    return new Failure(Kind.INTERNAL, Condition.INTERNAL, INTERNAL_DETAIL, code, null);
  }

  /**
   * gRPC reports a connection broken mid-stream (a reset, a half-delivered HTTP/2 frame) as
   * INTERNAL, which is otherwise a server's bug. These messages are the transport's own, the
   * ones the Spanner client itself retries as transient internal errors; read only to classify,
   * never shown to the caller.
   */
  private static boolean brokenTransport(Throwable t) {
    boolean internal = t instanceof SpannerException se && se.getErrorCode() == ErrorCode.INTERNAL
        || t instanceof io.grpc.StatusRuntimeException sre
            && sre.getStatus().getCode() == io.grpc.Status.Code.INTERNAL;
    String message = t.getMessage();
    return internal && message != null && BROKEN_TRANSPORT.stream().anyMatch(message::contains);
  }

  private static final List<String> BROKEN_TRANSPORT = List.of("http2 exception",
      "HTTP/2 error code", "RST_STREAM", "Received unexpected EOS on DATA frame",
      "Connection closed with unknown cause");

  /** The code of what was thrown, whatever caused it: the Spanner or gRPC code, or the class. */
  private static String topLevelCode(Throwable failure) {
    if (failure instanceof SpannerException se) {
      return "spanner_" + se.getErrorCode().name().toLowerCase(Locale.ROOT);
    }
    if (failure instanceof ApiException gax) {
      return gax.getStatusCode().getCode().name();
    }
    return failure == null ? "error" : failure.getClass().getSimpleName();
  }
}

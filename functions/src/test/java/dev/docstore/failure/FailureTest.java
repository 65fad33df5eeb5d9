package dev.docstore.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.SpannerExceptionFactory;
import com.google.cloud.storage.StorageException;
import dev.docstore.api.Condition;
import dev.docstore.api.NotFound;
import dev.docstore.api.RangeNotSatisfiable;
import dev.docstore.api.VersionStateConflict;
import dev.docstore.failpoints.FailpointException;
import dev.docstore.failure.Failure.Kind;
import org.junit.jupiter.api.Test;

/** The one classification of a failure: the answer, the log code, and what was applied. */
class FailureTest {
  @Test
  void ourOwnRefusalIsFoundUnderTheSpannerWrapperAroundATransactionCallable() {
    Failure f = Failure.of(SpannerExceptionFactory.newSpannerException(ErrorCode.UNKNOWN,
        "wrapped", new VersionStateConflict("the version is not deleted")));
    assertEquals(Kind.REFUSED, f.kind());
    assertEquals(Condition.VERSION_STATE, f.condition());
    assertEquals("the version is not deleted", f.detail());
    assertEquals("version_state", f.code());
    assertTrue(f.nothingApplied());
  }

  @Test
  void aRefusalIsKeptForWhatItsAnswerStatesHoweverDeepItWasFound() {
    RangeNotSatisfiable refusal = new RangeNotSatisfiable(12);
    Failure f = Failure.of(new IllegalStateException("outer", SpannerExceptionFactory
        .newSpannerException(ErrorCode.UNKNOWN, "wrapped", refusal)));
    assertEquals(Condition.RANGE_NOT_SATISFIABLE, f.condition());
    assertSame(refusal, f.refusal());
    assertEquals(12, ((RangeNotSatisfiable) f.refusal()).length());
    assertNull(Failure.of(new StorageException(503, "backend")).refusal());
    assertNull(Failure.of(new IllegalStateException("bug")).refusal());
  }

  @Test
  void anInjectedFaultIsUnavailableAndAppliedNothing() {
    Failure f = Failure.of(SpannerExceptionFactory.newSpannerException(ErrorCode.UNKNOWN,
        "wrapped", new FailpointException("createDocument.beforeCommit")));
    assertEquals(Kind.INJECTED, f.kind());
    assertEquals(Condition.UNAVAILABLE, f.condition());
    assertEquals("failpoint", f.code());
    assertTrue(f.nothingApplied());
  }

  @Test
  void transientSdkFailuresAreUnavailableWithAnUnknownOutcome() {
    Failure spanner = Failure.of(SpannerExceptionFactory.newSpannerException(
        ErrorCode.DEADLINE_EXCEEDED, "slow"));
    assertEquals(Kind.TRANSIENT, spanner.kind());
    assertEquals(Condition.UNAVAILABLE, spanner.condition());
    assertEquals("spanner_deadline_exceeded", spanner.code());
    assertFalse(spanner.nothingApplied(), "the commit may have happened");

    Failure storage = Failure.of(new StorageException(503, "backend"));
    assertEquals(Kind.TRANSIENT, storage.kind());
    assertEquals("StorageException", storage.code());

    Failure wrapped = Failure.of(new IllegalStateException("upload",
        new StorageException(429, "slow down")));
    assertEquals(Kind.TRANSIENT, wrapped.kind(), "a transient cause anywhere in the chain");
    assertEquals("IllegalStateException", wrapped.code(), "the code is that of what was thrown");
  }

  @Test
  void aConnectionBrokenMidStreamIsTransientButAServersInternalErrorIsNot() {
    Failure broken = Failure.of(SpannerExceptionFactory.newSpannerException(ErrorCode.INTERNAL,
        "io.grpc.StatusRuntimeException: INTERNAL: http2 exception - Statement: 'SELECT 1'"));
    assertEquals(Kind.TRANSIENT, broken.kind());
    assertEquals(Condition.UNAVAILABLE, broken.condition());
    assertEquals("spanner_internal", broken.code());
    Failure reset = Failure.of(new IllegalStateException("read", io.grpc.Status.INTERNAL
        .withDescription("stream terminated by RST_STREAM with error code: PROTOCOL_ERROR")
        .asRuntimeException()));
    assertEquals(Kind.TRANSIENT, reset.kind());

    Failure bug = Failure.of(SpannerExceptionFactory.newSpannerException(ErrorCode.INTERNAL,
        "the server hit a bug"));
    assertEquals(Kind.INTERNAL, bug.kind(), "only the transport's own messages are transient");
  }

  @Test
  void everythingElseIsInternalAndLeaksNoText() {
    Failure bug = Failure.of(new IllegalStateException("secret title in a message"));
    assertEquals(Kind.INTERNAL, bug.kind());
    assertEquals(Condition.INTERNAL, bug.condition());
    assertEquals("IllegalStateException", bug.code());
    assertFalse(bug.detail().contains("secret"), bug.detail());

    Failure spanner = Failure.of(SpannerExceptionFactory.newSpannerException(
        ErrorCode.INVALID_ARGUMENT, "bad SQL near 'title'"));
    assertEquals(Kind.INTERNAL, spanner.kind());
    assertEquals("spanner_invalid_argument", spanner.code());
    assertFalse(spanner.detail().contains("title"), spanner.detail());
  }

  @Test
  void aRefusalOutsideAnySdkKeepsItsOwnDetail() {
    Failure f = Failure.of(new NotFound("the document"));
    assertEquals(Condition.NOT_FOUND, f.condition());
    assertEquals("the document was not found", f.detail());
  }
}

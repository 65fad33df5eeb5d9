package dev.docstore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gRPC context deadline a request runs in, and that it leaves nothing behind. */
class RequestDeadlineTest {
  private final RequestDeadline deadline = new RequestDeadline(Duration.ofSeconds(2));

  @AfterEach
  void close() {
    deadline.close();
  }

  @Test
  void workRunsOnThisThreadWithinTheDeadline() {
    Thread caller = Thread.currentThread();
    long remaining = deadline.within(() -> {
      assertEquals(caller, Thread.currentThread());
      Deadline d = Context.current().getDeadline();
      assertNotNull(d);
      return d.timeRemaining(TimeUnit.MILLISECONDS);
    });
    assertTrue(remaining > 1000 && remaining <= 2000, "about 2 s left, was " + remaining);
  }

  @Test
  void theContextIsRestoredAndCancelledAfterwards() {
    Context[] inside = new Context[1];
    assertThrows(IllegalStateException.class, () -> deadline.within(() -> {
      inside[0] = Context.current();
      throw new IllegalStateException("the work failed");
    }));
    assertNull(Context.current().getDeadline(), "the caller's context is back");
    assertTrue(inside[0].isCancelled(), "the request's context is released");
  }

  @Test
  void eachRequestGetsADeadlineOfItsOwn() throws InterruptedException {
    deadline.within(() -> null);
    Thread.sleep(50);
    long remaining = deadline.within(
        () -> Context.current().getDeadline().timeRemaining(TimeUnit.MILLISECONDS));
    assertTrue(remaining > 1900, "a fresh 2 s, was " + remaining);
  }
}

package dev.docstore.outbox;

import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import dev.docstore.failure.Failure;
import dev.docstore.store.AnalyticsEvent;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Publishes analytics events with a bounded wait: Cloud Functions gives no CPU after the
 * response, and an unbounded publish would hold the response hostage to Pub/Sub. No ordering
 * keys: with them the client retries forever when Pub/Sub is down.
 */
public final class EventPublisher {
  /** Built on the first publish, not with the write shape: a write that fails never needs it. */
  private final Supplier<Publisher> publisher;
  private final EventJson json;
  private final Duration timeout;

  public EventPublisher(Supplier<Publisher> publisher, EventJson json, Duration timeout) {
    this.publisher = publisher;
    this.json = json;
    this.timeout = timeout;
  }

  /**
   * The message id, or throws {@link PublishFailed} after at most the configured timeout, or
   * what is left of the request's deadline when that is less; not sent at all once it has passed.
   */
  public String publish(AnalyticsEvent event) {
    PubsubMessage message = PubsubMessage.newBuilder()
        .setData(ByteString.copyFrom(json.write(event)))
        .putAttributes("type", event.type())
        .putAttributes("tenantId", event.tenantId())
        .putAttributes("eventId", event.eventId())
        .build();
    long waitMillis = timeout.toMillis();
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null) {
      // Within the request's deadline too: what is left of it bounds the wait.
      waitMillis = Math.min(waitMillis, deadline.timeRemaining(TimeUnit.MILLISECONDS));
      if (waitMillis <= 0) {
        throw new PublishFailed("deadline_exceeded", null);
      }
    }
    try {
      return publisher.get().publish(message).get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishFailed("interrupted", e);
    } catch (TimeoutException e) {
      throw new PublishFailed("timeout", e);
    } catch (ExecutionException e) {
      throw new PublishFailed(Failure.of(e.getCause()).code(), e.getCause());
    } catch (RuntimeException e) {
      throw new PublishFailed(Failure.of(e).code(), e);
    }
  }

  /** The event was not published; the outbox row stays pending for the relay. */
  public static final class PublishFailed extends RuntimeException {
    private final String reason;

    PublishFailed(String reason, Throwable cause) {
      super(reason, cause);
      this.reason = reason;
    }

    /** A short, content-free reason: the gRPC status code where there is one. */
    public String reason() {
      return reason;
    }
  }
}

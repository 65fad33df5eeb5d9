package dev.docstore.outbox;

import dev.docstore.failure.Failure;
import dev.docstore.outbox.EventPublisher.PublishFailed;
import dev.docstore.store.AnalyticsEvent;
import dev.docstore.store.OutboxStore;

/**
 * The one delivery path of an outbox event, used by the write path right after its commit and by
 * the relay for what that missed: publish, then mark the row published.
 *
 * <p>The one policy for a failed mark: the event is out, so it counts as published; its row stays
 * pending, a later relay run may publish it again, and the subscriber dedupes it by eventId.
 */
public final class OutboxDelivery {
  private final Publish publish;
  private final Mark mark;

  public OutboxDelivery(EventPublisher publisher, OutboxStore outbox) {
    this(publisher::publish, outbox::markPublished);
  }

  OutboxDelivery(Publish publish, Mark mark) {
    this.publish = publish;
    this.mark = mark;
  }

  /** Sends the event; its message id, or {@link PublishFailed}. */
  @FunctionalInterface
  interface Publish {
    String publish(AnalyticsEvent event);
  }

  /** Marks the event's row published. */
  @FunctionalInterface
  interface Mark {
    void markPublished(String tenantId, String eventId);
  }

  public enum Status {
    /** Published and marked. */
    PUBLISHED,
    /** Published, but the mark failed: the row stays pending (see the class comment). */
    PUBLISHED_UNMARKED,
    /** Not published: the row stays pending for the relay. */
    NOT_PUBLISHED
  }

  /**
   * What happened to one event.
   *
   * @param messageId Pub/Sub's id, when published
   * @param reason a short, content-free code when something failed
   * @param cause the publish failure's cause, for the log's stack trace, or null
   */
  public record Delivery(Status status, String messageId, String reason, Throwable cause) {
    public boolean published() {
      return status != Status.NOT_PUBLISHED;
    }
  }

  public Delivery deliver(AnalyticsEvent event) {
    String messageId;
    try {
      messageId = publish.publish(event);
    } catch (PublishFailed e) {
      return new Delivery(Status.NOT_PUBLISHED, null, e.reason(), e.getCause());
    }
    try {
      mark.markPublished(event.tenantId(), event.eventId());
    } catch (RuntimeException e) {
      return new Delivery(Status.PUBLISHED_UNMARKED, messageId,
          "mark_published_" + Failure.of(e).code(), null);
    }
    return new Delivery(Status.PUBLISHED, messageId, null, null);
  }
}

package dev.docstore.outbox;

import dev.docstore.failure.Failure;
import dev.docstore.outbox.EventPublisher.PublishFailed;
import dev.docstore.store.AnalyticsEvent;
import dev.docstore.store.OutboxStore;

/**
 * The one delivery path of an outbox event. The write path, right after its commit, only
 * publishes ({@link #publish}): the answer then waits for the transaction and the publish, no
 * third round trip. Its row stays pending; the relay settles it later ({@link #settle}), from
 * what it can see: an event the subscriber has counted (its ProcessedEvents row) was delivered,
 * and its row is marked without publishing it again; an event not counted past the grace period
 * is published (again, perhaps: the subscriber dedupes by eventId) and then marked.
 *
 * <p>The one policy for a failed mark: the row stays pending, a later relay run settles it again
 * (publishing it again if it is still not counted), and the subscriber counts it once.
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

  /** Marks the event's row settled. */
  @FunctionalInterface
  interface Mark {
    void markPublished(String tenantId, String eventId);
  }

  public enum Status {
    /** Published; by the relay, also marked. */
    PUBLISHED,
    /** Published by the relay, but the mark failed: the row stays pending. */
    PUBLISHED_UNMARKED,
    /** Not published: the row stays pending for the relay. */
    NOT_PUBLISHED,
    /** Already counted by the subscriber: marked, not published again. */
    COUNTED,
    /** Already counted by the subscriber, but the mark failed: the row stays pending. */
    COUNTED_UNMARKED
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
      return status == Status.PUBLISHED || status == Status.PUBLISHED_UNMARKED;
    }

    public boolean unmarked() {
      return status == Status.PUBLISHED_UNMARKED || status == Status.COUNTED_UNMARKED;
    }
  }

  /** The write path's delivery: publish only, the relay settles the row. */
  public Delivery publish(AnalyticsEvent event) {
    try {
      return new Delivery(Status.PUBLISHED, publish.publish(event), null, null);
    } catch (PublishFailed e) {
      return new Delivery(Status.NOT_PUBLISHED, null, e.reason(), e.getCause());
    }
  }

  /**
   * The relay's delivery of a pending row past the grace period: marked without publishing when
   * the subscriber has {@code counted} it, else published as by {@link #publish}, then marked.
   */
  public Delivery settle(AnalyticsEvent event, boolean counted) {
    Delivery sent = counted ? new Delivery(Status.COUNTED, null, null, null) : publish(event);
    if (sent.status() == Status.NOT_PUBLISHED) {
      return sent;
    }
    try {
      mark.markPublished(event.tenantId(), event.eventId());
    } catch (RuntimeException e) {
      return new Delivery(counted ? Status.COUNTED_UNMARKED : Status.PUBLISHED_UNMARKED,
          sent.messageId(), "mark_published_" + Failure.of(e).code(), null);
    }
    return sent;
  }
}

package dev.docstore.outbox;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.google.cloud.Timestamp;
import dev.docstore.outbox.OutboxDelivery.Delivery;
import dev.docstore.store.AnalyticsEvent;
import dev.docstore.store.OutboxStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Republishes outbox events whose post-commit publish did not happen (Pub/Sub down, a crash, a
 * timeout), once they are older than the grace period, in batches, through the same
 * {@link OutboxDelivery} as the write path.
 *
 * <p>Two concurrent runs are harmless: both may publish the same event, the mark is idempotent,
 * and the subscriber dedupes by eventId. The grace period keeps the relay from racing a write
 * whose own publish is still in flight.
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.outbox");
  public static final int BATCH_SIZE = 100;
  private static final int MAX_BATCHES = 20;

  private final Pending pending;
  private final OutboxDelivery delivery;
  private final Clock clock;
  private final Duration gracePeriod;

  public OutboxRelay(OutboxStore outbox, OutboxDelivery delivery, Clock clock,
      Duration gracePeriod) {
    this(outbox::pendingBefore, delivery, clock, gracePeriod);
  }

  OutboxRelay(Pending pending, OutboxDelivery delivery, Clock clock, Duration gracePeriod) {
    this.pending = pending;
    this.delivery = delivery;
    this.clock = clock;
    this.gracePeriod = gracePeriod;
  }

  /** The unpublished events older than {@code before}, oldest first, at most {@code limit}. */
  @FunctionalInterface
  interface Pending {
    List<AnalyticsEvent> pendingBefore(Timestamp before, int limit);
  }

  /**
   * What one run did, per outcome of {@link OutboxDelivery}.
   *
   * @param published events sent to Pub/Sub by this run, marked or not
   * @param failed events whose publish failed; their rows stay pending for a later run
   * @param unmarked events among {@code published} whose mark failed: their rows stay pending,
   *     so a later run may publish them again (the subscriber counts each once)
   */
  public record Result(int published, int failed, int unmarked) {}

  public Result run() {
    Instant cutoff = clock.instant().minus(gracePeriod);
    Timestamp before = Timestamp.ofTimeSecondsAndNanos(cutoff.getEpochSecond(),
        cutoff.getNano());
    int published = 0;
    int failed = 0;
    int unmarked = 0;
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      List<AnalyticsEvent> batchEvents = pending.pendingBefore(before, BATCH_SIZE);
      for (AnalyticsEvent event : batchEvents) {
        Delivery result = delivery.deliver(event);
        switch (result.status()) {
          case PUBLISHED -> LOG.info("RELAY published", kv("tenantId", event.tenantId()),
              kv("eventId", event.eventId()), kv("requestId", event.requestId()),
              kv("messageId", result.messageId()));
          case PUBLISHED_UNMARKED -> LOG.warn("RELAY published; the mark failed, so a later"
                  + " run may publish it again", kv("tenantId", event.tenantId()),
              kv("eventId", event.eventId()), kv("requestId", event.requestId()),
              kv("messageId", result.messageId()), kv("reason", result.reason()));
          case NOT_PUBLISHED -> LOG.warn("RELAY publish failed; will retry on the next run",
              kv("tenantId", event.tenantId()), kv("eventId", event.eventId()),
              kv("requestId", event.requestId()), kv("reason", result.reason()));
        }
        if (result.published()) {
          published++;
        } else {
          failed++;
        }
        if (result.status() == OutboxDelivery.Status.PUBLISHED_UNMARKED) {
          unmarked++;
        }
      }
      // Each event of the batch was tried, whatever happened to the others. Then a failed
      // publish means Pub/Sub is unwell, and a failed mark means the next batch would read the
      // same rows again: either way, stop until the next run.
      if (batchEvents.size() < BATCH_SIZE || failed > 0 || unmarked > 0) {
        break;
      }
    }
    LOG.info("RELAY run finished", kv("published", published), kv("failed", failed),
        kv("unmarked", unmarked));
    return new Result(published, failed, unmarked);
  }
}

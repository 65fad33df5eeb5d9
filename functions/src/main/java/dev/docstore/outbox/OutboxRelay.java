package dev.docstore.outbox;

import com.google.cloud.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Republishes outbox events whose post-commit publish did not happen (Pub/Sub down, a crash, a
 * timeout), once they are older than the grace period, in batches, marking each one.
 *
 * <p>Two concurrent runs are harmless: both may publish the same event, the mark is idempotent,
 * and the subscriber dedupes by eventId. The grace period keeps the relay from racing a write
 * whose own publish is still in flight.
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.outbox");
  public static final int BATCH_SIZE = 100;
  private static final int MAX_BATCHES = 20;

  private final OutboxStore outbox;
  private final EventPublisher publisher;
  private final Clock clock;
  private final Duration gracePeriod;

  public OutboxRelay(OutboxStore outbox, EventPublisher publisher, Clock clock,
      Duration gracePeriod) {
    this.outbox = outbox;
    this.publisher = publisher;
    this.clock = clock;
    this.gracePeriod = gracePeriod;
  }

  public record Result(int published, int failed) {}

  public Result run() {
    Instant cutoff = clock.instant().minus(gracePeriod);
    Timestamp before = Timestamp.ofTimeSecondsAndNanos(cutoff.getEpochSecond(),
        cutoff.getNano());
    int published = 0;
    int failed = 0;
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      List<AnalyticsEvent> pending = outbox.pendingBefore(before, BATCH_SIZE);
      for (AnalyticsEvent event : pending) {
        try {
          String messageId = publisher.publish(event);
          outbox.markPublished(event.tenantId(), event.eventId());
          published++;
          LOG.info("RELAY published", kv("tenantId", event.tenantId()),
              kv("eventId", event.eventId()), kv("requestId", event.requestId()),
              kv("messageId", messageId));
        } catch (EventPublisher.PublishFailed e) {
          failed++;
          LOG.warn("RELAY publish failed; will retry on the next run",
              kv("tenantId", event.tenantId()), kv("eventId", event.eventId()),
              kv("requestId", event.requestId()), kv("reason", e.reason()));
        }
      }
      // A batch with failures means Pub/Sub is unwell: stop rather than time out on each row.
      if (pending.size() < BATCH_SIZE || failed > 0) {
        break;
      }
    }
    LOG.info("RELAY run finished", kv("published", published), kv("failed", failed));
    return new Result(published, failed);
  }
}

package dev.docstore.outbox;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.google.cloud.Timestamp;
import dev.docstore.outbox.OutboxDelivery.Delivery;
import dev.docstore.store.AnalyticsEvent;
import dev.docstore.store.OutboxStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the outbox rows older than the grace period, in batches, through the same
 * {@link OutboxDelivery} as the write path. The write path publishes but does not mark, so
 * every row comes here once: one read finds which of a batch the subscriber has counted
 * (delivered: marked, not published again), and the others are published, whatever kept them
 * from being counted (Pub/Sub down, a crash, a timeout, a subscriber slower than the grace
 * period), then marked.
 *
 * <p>Two concurrent runs are harmless: both may publish the same event, the mark is idempotent,
 * and the subscriber dedupes by eventId. The grace period keeps the relay from republishing an
 * event whose delivery is merely still under way: the write's own publish, the subscriber's
 * count.
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.outbox");
  public static final int BATCH_SIZE = 100;
  private static final int MAX_BATCHES = 20;

  private final Pending pending;
  private final Counted counted;
  private final OutboxDelivery delivery;
  private final Clock clock;
  private final Duration gracePeriod;

  public OutboxRelay(OutboxStore outbox, OutboxDelivery delivery, Clock clock,
      Duration gracePeriod) {
    this(outbox::pendingBefore, outbox::counted, delivery, clock, gracePeriod);
  }

  OutboxRelay(Pending pending, Counted counted, OutboxDelivery delivery, Clock clock,
      Duration gracePeriod) {
    this.pending = pending;
    this.counted = counted;
    this.delivery = delivery;
    this.clock = clock;
    this.gracePeriod = gracePeriod;
  }

  /** The unsettled events older than {@code before}, oldest first, at most {@code limit}. */
  @FunctionalInterface
  interface Pending {
    List<AnalyticsEvent> pendingBefore(Timestamp before, int limit);
  }

  /** Those of {@code events} the subscriber has already counted. */
  @FunctionalInterface
  interface Counted {
    List<AnalyticsEvent> counted(List<AnalyticsEvent> events);
  }

  /**
   * What one run did, per outcome of {@link OutboxDelivery#settle}.
   *
   * @param published events sent to Pub/Sub by this run, marked or not
   * @param failed events whose publish failed; their rows stay pending for a later run
   * @param unmarked events this run published or found counted whose mark failed: their rows
   *     stay pending, so a later run settles them again (the subscriber counts each once)
   * @param alreadyCounted events the subscriber had counted, marked without publishing
   */
  public record Result(int published, int failed, int unmarked, int alreadyCounted) {}

  public Result run() {
    Instant cutoff = clock.instant().minus(gracePeriod);
    Timestamp before = Timestamp.ofTimeSecondsAndNanos(cutoff.getEpochSecond(),
        cutoff.getNano());
    int published = 0;
    int failed = 0;
    int unmarked = 0;
    int alreadyCounted = 0;
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      List<AnalyticsEvent> batchEvents = pending.pendingBefore(before, BATCH_SIZE);
      Set<AnalyticsEvent> countedEvents = new HashSet<>(counted.counted(batchEvents));
      for (AnalyticsEvent event : batchEvents) {
        Delivery result = delivery.settle(event, countedEvents.contains(event));
        log(event, result);
        switch (result.status()) {
          case PUBLISHED, PUBLISHED_UNMARKED -> published++;
          case NOT_PUBLISHED -> failed++;
          case COUNTED, COUNTED_UNMARKED -> alreadyCounted++;
        }
        if (result.unmarked()) {
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
        kv("unmarked", unmarked), kv("alreadyCounted", alreadyCounted));
    return new Result(published, failed, unmarked, alreadyCounted);
  }

  private static void log(AnalyticsEvent event, Delivery result) {
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
      case COUNTED -> LOG.debug("RELAY already counted", kv("tenantId", event.tenantId()),
          kv("eventId", event.eventId()));
      case COUNTED_UNMARKED -> LOG.warn("RELAY already counted; the mark failed, so a later"
              + " run looks at it again", kv("tenantId", event.tenantId()),
          kv("eventId", event.eventId()), kv("reason", result.reason()));
    }
  }
}

package dev.docstore.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import dev.docstore.outbox.EventPublisher.PublishFailed;
import dev.docstore.outbox.OutboxDelivery.Delivery;
import dev.docstore.outbox.OutboxDelivery.Status;
import dev.docstore.store.AnalyticsEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The one delivery path, shared by the write path and the relay: the write path publishes and
 * does not mark; the relay marks a counted event without publishing it, publishes then marks
 * the others; a failed publish leaves the row pending; a failed mark still counts the event as
 * published.
 */
class OutboxDeliveryTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"),
      ZoneOffset.UTC);

  private static final OutboxRelay.Counted NONE_COUNTED = events -> List.of();

  private static AnalyticsEvent event(String id) {
    return new AnalyticsEvent(id, "document.created", "t1", "d-" + id, 1L, "r-" + id,
        Timestamp.parseTimestamp("2026-12-01T11:00:00Z"));
  }

  @Test
  void theWritePathPublishesAndMarksNothing() {
    List<String> marked = new ArrayList<>();
    OutboxDelivery delivery = new OutboxDelivery(e -> "m-" + e.eventId(),
        (tenant, id) -> marked.add(tenant + "/" + id));
    Delivery d = delivery.publish(event("e1"));
    assertEquals(Status.PUBLISHED, d.status());
    assertEquals("m-e1", d.messageId());
    assertEquals(List.of(), marked, "no third round trip before the answer");
  }

  @Test
  void theRelayPublishesAnUncountedEventThenMarksIt() {
    List<String> marked = new ArrayList<>();
    OutboxDelivery delivery = new OutboxDelivery(e -> "m-" + e.eventId(),
        (tenant, id) -> marked.add(tenant + "/" + id));
    Delivery d = delivery.settle(event("e1"), false);
    assertEquals(Status.PUBLISHED, d.status());
    assertEquals("m-e1", d.messageId());
    assertEquals(List.of("t1/e1"), marked);
  }

  @Test
  void theRelayMarksACountedEventWithoutPublishingIt() {
    List<String> marked = new ArrayList<>();
    List<String> published = new ArrayList<>();
    OutboxDelivery delivery = new OutboxDelivery(e -> {
      published.add(e.eventId());
      return "m";
    }, (tenant, id) -> marked.add(tenant + "/" + id));
    Delivery d = delivery.settle(event("e1"), true);
    assertEquals(Status.COUNTED, d.status());
    assertFalse(d.published());
    assertEquals(List.of(), published, "the subscriber has it: nothing on the wire");
    assertEquals(List.of("t1/e1"), marked);
  }

  @Test
  void aFailedPublishIsNotMarkedAndKeepsItsReason() {
    List<String> marked = new ArrayList<>();
    RuntimeException cause = new IllegalStateException("down");
    OutboxDelivery delivery = new OutboxDelivery(e -> {
      throw new PublishFailed("UNAVAILABLE", cause);
    }, (tenant, id) -> marked.add(id));
    for (Delivery d : List.of(delivery.publish(event("e1")), delivery.settle(event("e1"), false))) {
      assertEquals(Status.NOT_PUBLISHED, d.status());
      assertFalse(d.published());
      assertEquals("UNAVAILABLE", d.reason());
      assertEquals(cause, d.cause());
    }
    assertEquals(List.of(), marked, "nothing published, nothing marked");
  }

  @Test
  void aFailedMarkStillCountsAsPublished() {
    OutboxDelivery delivery = new OutboxDelivery(e -> "m-1", (tenant, id) -> {
      throw new IllegalStateException("Spanner is down");
    });
    Delivery d = delivery.settle(event("e1"), false);
    assertEquals(Status.PUBLISHED_UNMARKED, d.status());
    assertTrue(d.published(), "the event is out");
    assertTrue(d.unmarked());
    assertEquals("m-1", d.messageId());
    assertTrue(d.reason().startsWith("mark_published_"), d.reason());
    assertNull(d.cause());
    Delivery counted = delivery.settle(event("e2"), true);
    assertEquals(Status.COUNTED_UNMARKED, counted.status());
    assertTrue(counted.unmarked());
  }

  @Test
  void theRelayTriesEveryEventOfABatchWhoseMarksFailThenStops() {
    List<AnalyticsEvent> batch = IntStream.range(0, OutboxRelay.BATCH_SIZE)
        .mapToObj(i -> event("e" + i)).toList();
    List<String> published = new ArrayList<>();
    int[] scans = {0};
    OutboxDelivery delivery = new OutboxDelivery(e -> {
      published.add(e.eventId());
      return "m";
    }, (tenant, id) -> {
      if (id.equals("e3")) {
        throw new IllegalStateException("mark failed");
      }
    });
    // Every scan returns the same full batch, as when its rows stay pending.
    OutboxRelay relay = new OutboxRelay((before, limit) -> {
      scans[0]++;
      return batch;
    }, NONE_COUNTED, delivery, CLOCK, Duration.ofSeconds(30));
    OutboxRelay.Result result = relay.run();
    assertEquals(OutboxRelay.BATCH_SIZE, result.published(), "a failed mark is still published");
    assertEquals(0, result.failed());
    assertEquals(1, result.unmarked(), "e3's mark failed");
    assertEquals(OutboxRelay.BATCH_SIZE, published.size(), "every event after e3 was tried too");
    assertEquals(1, scans[0], "the next batch would read the same rows: the run stops");
  }

  @Test
  void theRelayStopsAfterABatchWithAFailedPublishAndCountsIt() {
    Set<String> down = Set.of("e1", "e5");
    OutboxDelivery delivery = new OutboxDelivery(e -> {
      if (down.contains(e.eventId())) {
        throw new PublishFailed("timeout", null);
      }
      return "m";
    }, (tenant, id) -> { });
    List<AnalyticsEvent> batch = IntStream.range(0, OutboxRelay.BATCH_SIZE)
        .mapToObj(i -> event("e" + i)).toList();
    int[] scans = {0};
    OutboxRelay relay = new OutboxRelay((before, limit) -> {
      scans[0]++;
      return batch;
    }, NONE_COUNTED, delivery, CLOCK, Duration.ofSeconds(30));
    OutboxRelay.Result result = relay.run();
    assertEquals(OutboxRelay.BATCH_SIZE - 2, result.published());
    assertEquals(2, result.failed());
    assertEquals(0, result.unmarked());
    assertEquals(1, scans[0]);
  }

  @Test
  void theRelayCountsEachOutcomeOfABatchSeparately() {
    Set<String> publishDown = Set.of("e0", "e7", "e8");
    Set<String> markDown = Set.of("e2", "e9");
    List<String> marked = new ArrayList<>();
    OutboxDelivery delivery = new OutboxDelivery(e -> {
      if (publishDown.contains(e.eventId())) {
        throw new PublishFailed("UNAVAILABLE", null);
      }
      return "m-" + e.eventId();
    }, (tenant, id) -> {
      if (markDown.contains(id)) {
        throw new IllegalStateException("mark failed");
      }
      marked.add(id);
    });
    List<AnalyticsEvent> batch = IntStream.range(0, 12).mapToObj(i -> event("e" + i)).toList();
    Set<String> counted = Set.of("e10", "e11");
    OutboxRelay relay = new OutboxRelay((before, limit) -> batch,
        events -> events.stream().filter(e -> counted.contains(e.eventId())).toList(),
        delivery, CLOCK, Duration.ofSeconds(30));
    OutboxRelay.Result result = relay.run();
    assertEquals(new OutboxRelay.Result(7, 3, 2, 2), result,
        "12 tried: 2 already counted, 3 publishes failed, 7 went out, 2 of those not marked");
    assertEquals(7, marked.size(), "published minus unmarked, plus the counted, were marked");
  }

  @Test
  void theRelayScansOnlyPastTheGracePeriodAndGoesOnWhileBatchesAreFull() {
    List<Timestamp> cutoffs = new ArrayList<>();
    int[] scans = {0};
    OutboxDelivery delivery = new OutboxDelivery(e -> "m", (tenant, id) -> { });
    OutboxRelay relay = new OutboxRelay((before, limit) -> {
      cutoffs.add(before);
      scans[0]++;
      int size = scans[0] == 1 ? limit : 3;
      return IntStream.range(0, size).mapToObj(i -> event(scans[0] + "-" + i)).toList();
    }, NONE_COUNTED, delivery, CLOCK, Duration.ofSeconds(30));
    OutboxRelay.Result result = relay.run();
    assertEquals(new OutboxRelay.Result(OutboxRelay.BATCH_SIZE + 3, 0, 0, 0), result);
    assertEquals(2, scans[0], "a short batch is the last");
    assertEquals(Timestamp.parseTimestamp("2026-12-01T11:59:30Z"), cutoffs.get(0));
  }
}

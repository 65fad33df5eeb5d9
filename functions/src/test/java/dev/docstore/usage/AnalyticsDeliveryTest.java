package dev.docstore.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.SpannerException;
import com.google.cloud.spanner.SpannerExceptionFactory;
import dev.docstore.outbox.EventJson;
import dev.docstore.store.AnalyticsEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The subscriber's policy: what the message controls is validated before the count, and a
 * message that can never be counted is acknowledged; only a transient failure of the count is
 * retried (thrown, so the function answers 500 and Pub/Sub delivers again).
 */
class AnalyticsDeliveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> counted = new ArrayList<>();
  private final List<AnalyticsEvent> events = new ArrayList<>();

  private AnalyticsDelivery delivery(AnalyticsDelivery.Counter counter) {
    return new AnalyticsDelivery(counter, JSON, new EventJson(JSON));
  }

  private AnalyticsDelivery counting() {
    return delivery((event, operation) -> {
      events.add(event);
      counted.add(operation + " " + event.eventId());
      return true;
    });
  }

  private static ObjectNode event() {
    return JSON.createObjectNode()
        .put("eventId", "0f6c2a9e-5a0e-4a8e-9b8e-7a8f3e1d2c4b")
        .put("type", "version.created")
        .put("tenantId", "acme")
        .put("documentId", "5a0e0f6c-2a9e-4a8e-9b8e-7a8f3e1d2c4b")
        .put("version", 2)
        .put("requestId", "req-1")
        .put("occurredAt", "2026-12-01T07:11:42.885373000Z");
  }

  private static ObjectNode event(Consumer<ObjectNode> change) {
    ObjectNode node = event();
    change.accept(node);
    return node;
  }

  private static byte[] envelope(byte[] eventBytes) {
    ObjectNode envelope = JSON.createObjectNode();
    envelope.putObject("message")
        .put("data", Base64.getEncoder().encodeToString(eventBytes))
        .put("messageId", "123");
    envelope.put("subscription", "projects/p/subscriptions/s");
    return envelope.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static CloudEvent cloudEvent(String type, byte[] data) {
    CloudEventBuilder builder = CloudEventBuilder.v1().withId("123")
        .withSource(URI.create("//pubsub.googleapis.com/projects/p/topics/t")).withType(type);
    if (data != null) {
      builder.withData("application/json", data);
    }
    return builder.build();
  }

  private static CloudEvent published(byte[] data) {
    return cloudEvent(AnalyticsDelivery.MESSAGE_PUBLISHED, data);
  }

  private static CloudEvent published(ObjectNode event) {
    return published(envelope(event.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aValidEventIsCountedUnderItsWrite() {
    counting().deliver(published(event()));
    assertEquals(List.of("createDocumentVersion 0f6c2a9e-5a0e-4a8e-9b8e-7a8f3e1d2c4b"),
        counted);
    assertEquals(2L, events.get(0).version());
  }

  @Test
  void anAbsentVersionAndAnUnknownFieldAreAccepted() {
    counting().deliver(published(event(e -> {
      e.remove("version");
      e.put("addedLater", "x");
    })));
    assertEquals(1, counted.size());
    assertNull(events.get(0).version());
  }

  static Stream<Arguments> poison() {
    String big = "e".repeat(100_000);
    return Stream.of(
        Arguments.of("another CloudEvent type", cloudEvent("google.cloud.storage.object.v1"
            + ".finalized", envelope(event().toString().getBytes(StandardCharsets.UTF_8)))),
        Arguments.of("no data", published((byte[]) null)),
        Arguments.of("data not JSON", published("not json".getBytes(StandardCharsets.UTF_8))),
        Arguments.of("data over its bound", published(envelope(event(e -> e.put("eventId", big))
            .toString().getBytes(StandardCharsets.UTF_8)))),
        Arguments.of("no message.data", published("{\"message\":{}}".getBytes(
            StandardCharsets.UTF_8))),
        Arguments.of("message.data not a string", published(
            "{\"message\":{\"data\":12}}".getBytes(StandardCharsets.UTF_8))),
        Arguments.of("message.data not base64", published(
            "{\"message\":{\"data\":\"%%%\"}}".getBytes(StandardCharsets.UTF_8))),
        Arguments.of("event not JSON", published(envelope("{".getBytes(StandardCharsets.UTF_8)))),
        Arguments.of("event not an object", published(envelope("[1]".getBytes(
            StandardCharsets.UTF_8)))),
        Arguments.of("event over its bound", published(envelope(("{\"pad\":\""
            + "x".repeat(EventJson.MAX_EVENT_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8)))),
        Arguments.of("eventId 129 characters", published(event(e -> e.put("eventId",
            "e".repeat(129))))),
        Arguments.of("eventId with a space", published(event(e -> e.put("eventId", "a b")))),
        Arguments.of("eventId a number", published(event(e -> e.put("eventId", 7)))),
        Arguments.of("eventId missing", published(event(e -> e.remove("eventId")))),
        Arguments.of("eventId null", published(event(e -> e.putNull("eventId")))),
        Arguments.of("tenantId an email", published(event(e -> e.put("tenantId",
            "alice@example.com")))),
        Arguments.of("tenantId ..", published(event(e -> e.put("tenantId", "..")))),
        Arguments.of("tenantId empty", published(event(e -> e.put("tenantId", "")))),
        Arguments.of("documentId with a slash", published(event(e -> e.put("documentId",
            "a/b")))),
        Arguments.of("requestId 129 characters", published(event(e -> e.put("requestId",
            "r".repeat(129))))),
        Arguments.of("an unknown type", published(event(e -> e.put("type", "document.exploded")))),
        Arguments.of("type a number", published(event(e -> e.put("type", 1)))),
        Arguments.of("version a string", published(event(e -> e.put("version", "2")))),
        Arguments.of("version 0", published(event(e -> e.put("version", 0)))),
        Arguments.of("version a fraction", published(event(e -> e.put("version", 1.5)))),
        Arguments.of("version past a long", published(event(e -> e.put("version",
            new BigInteger("99999999999999999999"))))),
        Arguments.of("occurredAt not a timestamp", published(event(e -> e.put("occurredAt",
            "yesterday")))),
        Arguments.of("occurredAt a number", published(event(e -> e.put("occurredAt", 0)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poison")
  void aMessageThatCanNeverBeCountedIsAcknowledgedWithoutTouchingSpanner(String what,
      CloudEvent message) {
    AnalyticsDelivery delivery = delivery((event, operation) -> {
      throw new AssertionError("the count ran for " + what);
    });
    delivery.deliver(message); // returns: acknowledged
  }

  @Test
  void aTransientFailureOfTheCountIsThrownSoTheMessageComesAgain() {
    SpannerException down = SpannerExceptionFactory.newSpannerException(ErrorCode.UNAVAILABLE,
        "emulator down");
    AnalyticsDelivery delivery = delivery((event, operation) -> {
      throw down;
    });
    SpannerException thrown = assertThrows(SpannerException.class,
        () -> delivery.deliver(published(event())));
    assertSame(down, thrown);
  }

  @Test
  void anyOtherFailureOfAValidatedMessagesCountIsThrownTooSoItIsKeptNotDropped() {
    // The message passed validation, so the system, not the message, is at fault (a lost grant,
    // a missing table, a bug): acknowledging would drop a committed write's count for good,
    // while throwing keeps it, redelivered and in the end dead-lettered, for a replay.
    List<String> tried = new ArrayList<>();
    SpannerException denied = SpannerExceptionFactory.newSpannerException(
        ErrorCode.PERMISSION_DENIED, "no grant");
    AnalyticsDelivery delivery = delivery((event, operation) -> {
      tried.add(event.eventId());
      throw denied;
    });
    assertSame(denied, assertThrows(SpannerException.class,
        () -> delivery.deliver(published(event()))));
    assertEquals(1, tried.size());
  }

  @Test
  void anOverlongFormInAFieldIsMalformedNotCountedUnderAlteredText() {
    // "acme" with its "a" in two bytes (C1 A1): a lenient decoder would count it for "acme".
    byte[] json = event().toString().getBytes(StandardCharsets.UTF_8);
    int at = new String(json, StandardCharsets.UTF_8).indexOf("\"acme\"") + 1;
    byte[] overlong = new byte[json.length + 1];
    System.arraycopy(json, 0, overlong, 0, at);
    overlong[at] = (byte) 0xC1;
    overlong[at + 1] = (byte) 0xA1;
    System.arraycopy(json, at + 1, overlong, at + 2, json.length - at - 1);
    counting().deliver(published(envelope(overlong)));
    assertEquals(List.of(), counted);
  }

  @Test
  void aLoneSurrogateEscapeIsMalformedNotCounted() {
    String json = event().toString().replace("\"acme\"", "\"acme\\ud800\"");
    counting().deliver(published(envelope(json.getBytes(StandardCharsets.UTF_8))));
    assertEquals(List.of(), counted);
  }
}

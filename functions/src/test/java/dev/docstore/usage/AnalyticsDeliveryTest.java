package dev.docstore.usage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.Timestamp;
import dev.docstore.outbox.EventJson;
import dev.docstore.store.AnalyticsEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The subscriber reads its messages as strictly as the functions read request bodies: an event
 * whose JSON is not strict UTF-8 is malformed, acknowledged and never counted under altered text.
 * There is no store here, so an attempt to count throws.
 */
class AnalyticsDeliveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventJson events = new EventJson(JSON);
  private final AnalyticsDelivery delivery = new AnalyticsDelivery(null, JSON, events);
  private final byte[] event = events.write(new AnalyticsEvent(
      "0f8fad5b-d9cb-469f-a165-70867728950e", "version.created", "acme",
      "1b4e28ba-2fa1-11d2-883f-0016d3cca427", 2L, "req-1",
      Timestamp.parseTimestamp("2026-12-01T10:00:00Z")));

  @Test
  void aWellFormedEventGoesToBeCounted() {
    // The premise of the other tests: a valid event reaches the (absent) store.
    assertThrows(NullPointerException.class, () -> delivery.deliver(message(event)));
  }

  @Test
  void anOverlongFormInAFieldIsMalformed() {
    // "acme" with its "a" in two bytes (C1 A1): a lenient decoder would count it for "acme".
    String json = new String(event, StandardCharsets.UTF_8);
    int at = json.indexOf("\"acme\"") + 1;
    byte[] overlong = new byte[event.length + 1];
    System.arraycopy(event, 0, overlong, 0, at);
    overlong[at] = (byte) 0xC1;
    overlong[at + 1] = (byte) 0xA1;
    System.arraycopy(event, at + 1, overlong, at + 2, event.length - at - 1);
    assertDoesNotThrow(() -> delivery.deliver(message(overlong)));
  }

  @Test
  void aLoneSurrogateEscapeIsMalformed() {
    String json = new String(event, StandardCharsets.UTF_8)
        .replace("\"acme\"", "\"acme\\ud800\"");
    assertDoesNotThrow(() -> delivery.deliver(message(json.getBytes(StandardCharsets.UTF_8))));
  }

  /** Eventarc's envelope of a Pub/Sub message whose data is {@code data}. */
  private static CloudEvent message(byte[] data) {
    byte[] envelope = ("{\"message\":{\"data\":\"" + Base64.getEncoder().encodeToString(data)
        + "\",\"messageId\":\"1\"},\"subscription\":\"s\"}").getBytes(StandardCharsets.UTF_8);
    CloudEventData body = () -> envelope;
    return (CloudEvent) Proxy.newProxyInstance(CloudEvent.class.getClassLoader(),
        new Class<?>[] {CloudEvent.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getData" -> body;
          case "getId" -> "cloud-event-1";
          default -> null;
        });
  }
}

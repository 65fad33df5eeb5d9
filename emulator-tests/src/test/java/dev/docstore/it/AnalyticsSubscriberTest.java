package dev.docstore.it;

import static dev.docstore.api.Operation.ANALYTICS_SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import dev.docstore.testing.RpcCounter;
import dev.docstore.usage.AnalyticsDelivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code analyticsSubscriber} answers over HTTP, as Eventarc calls it: a 2xx acknowledges,
 * anything else makes Pub/Sub deliver the message again. A message that can never be counted is
 * acknowledged before any Spanner call; a body that is not a CloudEvent at all is answered by the
 * Functions Framework itself, before docstore's code runs.
 */
class AnalyticsSubscriberTest {
  @RegisterExtension
  static final Stack STACK = new Stack();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static ObjectNode event(String tenant) {
    return Api.JSON.createObjectNode()
        .put("eventId", UUID.randomUUID().toString())
        .put("type", "document.created")
        .put("tenantId", tenant)
        .put("documentId", UUID.randomUUID().toString())
        .put("version", 1)
        .put("requestId", "req-" + tenant)
        .put("occurredAt", "2026-12-01T07:11:42.885373000Z");
  }

  private static ObjectNode event(String tenant, Consumer<ObjectNode> change) {
    ObjectNode node = event(tenant);
    change.accept(node);
    return node;
  }

  private static PubsubMessage message(ObjectNode event) {
    return PubsubMessage.newBuilder().setMessageId("m-" + UUID.randomUUID())
        .setData(ByteString.copyFromUtf8(event.toString())).build();
  }

  private static int send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Eventarc's request for the message, with one header replaced. */
  private static HttpRequest withHeader(PubsubMessage message, String name, String value) {
    return HttpRequest.newBuilder(STACK.eventarcRequest(message), (n, v) -> true)
        .setHeader(name, value).build();
  }

  private static HttpRequest post(String contentType, Map<String, String> headers, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(
            URI.create(STACK.local().baseUrl() + "/" + ANALYTICS_SUBSCRIBER.functionName()))
        .header("Content-Type", contentType);
    headers.forEach(builder::header);
    return builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static long processed(String tenant) {
    return STACK.rows().count("ProcessedEvents", tenant)
        + STACK.rows().count("DailyApiUsageShards", tenant);
  }

  @Test
  void aMessageThatCanNeverBeCountedIsAcknowledgedBeforeAnySpannerCall() {
    String t = "poison";
    String big = "e".repeat(100_000);
    Map<String, HttpRequest> poison = new LinkedHashMap<>();
    poison.put("eventId of 100 KB", STACK.eventarcRequest(message(event(t,
        e -> e.put("eventId", big)))));
    poison.put("eventId of 129 characters", STACK.eventarcRequest(message(event(t,
        e -> e.put("eventId", "x".repeat(129))))));
    poison.put("tenantId an email", STACK.eventarcRequest(message(event(t,
        e -> e.put("tenantId", "alice@example.com")))));
    poison.put("occurredAt not a timestamp", STACK.eventarcRequest(message(event(t,
        e -> e.put("occurredAt", "yesterday")))));
    poison.put("an unknown event type", STACK.eventarcRequest(message(event(t,
        e -> e.put("type", "document.exploded")))));
    poison.put("another CloudEvent type", withHeader(message(event(t)), "ce-type",
        "google.cloud.storage.object.v1.finalized"));
    poison.put("data not an envelope", post("application/json", Map.of("ce-specversion", "1.0",
        "ce-id", "1", "ce-source", "//pubsub.googleapis.com/x", "ce-type",
        AnalyticsDelivery.MESSAGE_PUBLISHED), "[1, 2]"));

    List<String> problems = new ArrayList<>();
    try (LogCapture logs = new LogCapture()) {
      poison.forEach((what, request) -> {
        int[] status = new int[1];
        List<String> rpcs = RpcCounter.roundTrips(STACK.rpcs().during(
            () -> status[0] = send(request)));
        if (status[0] / 100 != 2) {
          problems.add(what + ": answered " + status[0] + ", so Pub/Sub would deliver it again");
        }
        if (!rpcs.isEmpty()) {
          problems.add(what + ": called Spanner " + rpcs);
        }
      });
      List<String> warnings = logs.lines().stream()
          .filter(l -> l.contains("malformed analytics event acknowledged without counting"))
          .toList();
      if (warnings.size() != poison.size()) {
        problems.add(warnings.size() + " WARNING lines for " + poison.size() + " messages");
      }
      for (String line : warnings) {
        JsonNode node = parse(line);
        if (!node.path("severity").asText().equals("WARNING")
            || node.path("reason").asText().isEmpty()) {
          problems.add("not a WARNING with a reason: " + line);
        }
        if (line.contains("xxxxxxxxxx") || line.contains("eeeeeeeeee") || line.contains("@")) {
          problems.add("the line carries the message's values: " + line.substring(0,
              Math.min(300, line.length())));
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertEquals(0, processed(t), "nothing was counted");
  }

  @Test
  void aValidEventIsCountedOnceWhateverTheRedeliveries() {
    String t = "valid";
    PubsubMessage message = message(event(t));
    List<String> rpcs = RpcCounter.roundTrips(STACK.rpcs().during(
        () -> assertEquals(200, send(STACK.eventarcRequest(message)))));
    assertFalse(rpcs.isEmpty(), "counting it called Spanner: the control of the poison test");
    assertEquals(200, send(STACK.eventarcRequest(message)));
    assertEquals(1, STACK.rows().count("ProcessedEvents", t));
    assertEquals(1, STACK.rows().queryLong(
        "SELECT SUM(Count) FROM DailyApiUsageShards WHERE TenantId = @t", t));
  }

  /**
   * The Functions Framework parses the request into a CloudEvent before docstore's code runs, and
   * answers 500 itself when it cannot: a binary-mode request (a {@code ce-specversion} header)
   * without a required attribute, a structured-mode body ({@code application/cloudevents+json})
   * that is not a CloudEvent, and any other body that is not a legacy event. Framework 1.4.1 also
   * fails on the body of a plain Pub/Sub push subscription (no {@code ce-} headers): its
   * conversion to a CloudEvent requires a resource name that body does not have. No Eventarc
   * delivery looks like any of these, since Eventarc sends binary mode with the attributes set
   * by itself; only a direct caller (whom IAM keeps out) can send one, and even then the
   * dead-letter policy bounds its redeliveries. A structured-mode CloudEvent reaches docstore's
   * code and is counted like Eventarc's.
   */
  @Test
  void whatTheFrameworkAnswersBeforeDocstoresCodeRuns() {
    String t = "framework";
    ObjectNode event = event(t);
    String envelope = envelope(event);
    Map<String, Integer> answers = new LinkedHashMap<>();
    answers.put("binary mode without ce-id", send(post("application/json",
        Map.of("ce-specversion", "1.0", "ce-source", "//pubsub.googleapis.com/x", "ce-type",
            AnalyticsDelivery.MESSAGE_PUBLISHED), envelope)));
    answers.put("structured mode, not a CloudEvent", send(post("application/cloudevents+json",
        Map.of(), "{\"hello\": 1}")));
    answers.put("plain JSON, no ce- headers", send(post("application/json", Map.of(),
        "not a CloudEvent")));
    assertEquals(0, processed(t), "none of them reached the count");
    ObjectNode structured = Api.JSON.createObjectNode()
        .put("specversion", "1.0").put("id", "s-1").put("source", "//pubsub.googleapis.com/x")
        .put("type", AnalyticsDelivery.MESSAGE_PUBLISHED)
        .put("datacontenttype", "application/json");
    structured.set("data", parse(envelope));
    answers.put("structured mode, Eventarc's event", send(post("application/cloudevents+json",
        Map.of(), structured.toString())));
    answers.put("a Pub/Sub push body, no ce- headers", send(post("application/json", Map.of(),
        envelope(event(t)))));
    assertEquals(Map.of(
            "binary mode without ce-id", 500,
            "structured mode, not a CloudEvent", 500,
            "plain JSON, no ce- headers", 500,
            "structured mode, Eventarc's event", 200,
            "a Pub/Sub push body, no ce- headers", 500),
        answers);
    assertEquals(1, STACK.rows().count("ProcessedEvents", t),
        "the structured-mode CloudEvent was counted");
  }

  private static String envelope(ObjectNode event) {
    ObjectNode envelope = Api.JSON.createObjectNode();
    envelope.putObject("message")
        .put("data", Base64.getEncoder().encodeToString(event.toString().getBytes(StandardCharsets.UTF_8)))
        .put("messageId", "m-" + UUID.randomUUID())
        .put("publishTime", "2026-12-01T07:11:43Z");
    envelope.put("subscription", "projects/p/subscriptions/s");
    return envelope.toString();
  }

  private static JsonNode parse(String json) {
    try {
      return Api.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.docstore.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.Timestamp;
import dev.docstore.store.AnalyticsEvent;

/**
 * The JSON of an analytics event on Pub/Sub,
 * {@code {eventId, type, tenantId, documentId, version?, requestId, occurredAt}}: what the
 * publisher sends and the subscriber reads. infra/pubsub/analytics-event.schema.json documents it
 * for outside subscribers.
 */
public final class EventJson {
  private final ObjectMapper json;

  public EventJson(ObjectMapper json) {
    this.json = json;
  }

  public byte[] write(AnalyticsEvent event) {
    ObjectNode node = json.createObjectNode();
    node.put("eventId", event.eventId());
    node.put("type", event.type());
    node.put("tenantId", event.tenantId());
    node.put("documentId", event.documentId());
    if (event.version() != null) {
      node.put("version", event.version());
    }
    node.put("requestId", event.requestId());
    node.put("occurredAt", event.occurredAt().toString());
    try {
      return json.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an event", e);
    }
  }

  /**
   * The event in {@code node}, the message's JSON as read by the subscriber (strictly: see
   * {@code input.StrictJson}); throws IllegalArgumentException for anything that is not one.
   */
  public AnalyticsEvent read(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode version = node.get("version");
    if (version != null && !version.isNull() && !version.isIntegralNumber()) {
      throw new IllegalArgumentException("version must be an integer");
    }
    try {
      return new AnalyticsEvent(
          text(node, "eventId"),
          text(node, "type"),
          text(node, "tenantId"),
          text(node, "documentId"),
          version == null || version.isNull() ? null : version.longValue(),
          text(node, "requestId"),
          Timestamp.parseTimestamp(text(node, "occurredAt")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed event field");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return value.textValue();
  }
}

package dev.docstore.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.Timestamp;

/**
 * The analytics event of one committed write:
 * {@code {eventId, type, tenantId, documentId, version?, requestId, occurredAt}}.
 * infra/pubsub/analytics-event.schema.json documents it for outside subscribers.
 */
public record AnalyticsEvent(
    String eventId,
    String type,
    String tenantId,
    String documentId,
    Long version,
    String requestId,
    Timestamp occurredAt) {

  public AnalyticsEvent at(Timestamp commitTimestamp) {
    return new AnalyticsEvent(eventId, type, tenantId, documentId, version, requestId,
        commitTimestamp);
  }

  public byte[] toJson(ObjectMapper json) {
    ObjectNode node = json.createObjectNode();
    node.put("eventId", eventId);
    node.put("type", type);
    node.put("tenantId", tenantId);
    node.put("documentId", documentId);
    if (version != null) {
      node.put("version", version);
    }
    node.put("requestId", requestId);
    node.put("occurredAt", occurredAt.toString());
    try {
      return json.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses an event; throws IllegalArgumentException for anything that is not one. */
  public static AnalyticsEvent fromJson(ObjectMapper json, byte[] bytes) {
    JsonNode node;
    try {
      node = json.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not JSON");
    }
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

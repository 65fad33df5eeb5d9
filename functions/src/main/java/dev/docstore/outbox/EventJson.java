package dev.docstore.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.Timestamp;
import dev.docstore.api.MalformedEvent;
import dev.docstore.api.Operation;
import dev.docstore.api.InvalidRequest;
import dev.docstore.input.Identifiers;
import dev.docstore.input.StrictJson;
import dev.docstore.store.AnalyticsEvent;

/**
 * The JSON of an analytics event on Pub/Sub,
 * {@code {eventId, type, tenantId, documentId, version?, requestId, occurredAt}}: what the
 * publisher sends and the subscriber reads. docs/analytics-event.schema.json documents it
 * for outside subscribers.
 */
public final class EventJson {
  /** A real event is about 300 bytes; anything far larger is not one of ours. */
  public static final int MAX_EVENT_BYTES = 16 * 1024;
  private static final int MAX_TYPE_LENGTH = 64;
  private static final int MAX_TIMESTAMP_LENGTH = 64;

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
   * Parses and validates an event, before anything uses it: each field of its type and within its
   * bound (ids of {@link Identifiers}' shape, the tenant as authentication accepts it, a type in the
   * operation catalog, {@code version} an integer ≥ 1 when present, {@code occurredAt} a
   * timestamp). Unknown fields are ignored, so that a newer publisher's extra field does not make
   * its events uncountable. Throws {@link MalformedEvent}, whose detail names the field and rule.
   */
  public AnalyticsEvent read(byte[] bytes) {
    if (bytes.length > MAX_EVENT_BYTES) {
      throw new MalformedEvent("the event is over " + MAX_EVENT_BYTES + " bytes");
    }
    JsonNode node;
    try {
      node = StrictJson.read(json, bytes);
    } catch (InvalidRequest e) {
      throw new MalformedEvent("the event is not JSON in strict UTF-8");
    }
    if (node == null || !node.isObject()) {
      throw new MalformedEvent("the event is not a JSON object");
    }
    String type = text(node, "type", MAX_TYPE_LENGTH);
    if (Operation.forEventType(type).isEmpty()) {
      throw new MalformedEvent("type is not an event type of this service");
    }
    return new AnalyticsEvent(id(node, "eventId"), type, id(node, "tenantId"),
        id(node, "documentId"), version(node), id(node, "requestId"), occurredAt(node));
  }

  private static String id(JsonNode node, String field) {
    String value = text(node, field, Identifiers.MAX_LENGTH);
    if (!Identifiers.valid(value)) {
      throw new MalformedEvent(field + " must be 1 to " + Identifiers.MAX_LENGTH
          + " characters of [A-Za-z0-9._:-]");
    }
    return value;
  }

  private static Long version(JsonNode node) {
    JsonNode version = node.get("version");
    if (version == null || version.isNull()) {
      return null;
    }
    if (!version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 1) {
      throw new MalformedEvent("version must be an integer of at least 1");
    }
    return version.longValue();
  }

  private static Timestamp occurredAt(JsonNode node) {
    String value = text(node, "occurredAt", MAX_TIMESTAMP_LENGTH);
    try {
      return Timestamp.parseTimestamp(value);
    } catch (RuntimeException e) {
      throw new MalformedEvent("occurredAt must be an RFC 3339 timestamp");
    }
  }

  private static String text(JsonNode node, String field, int maxLength) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new MalformedEvent(field + " is missing");
    }
    if (!value.isTextual()) {
      throw new MalformedEvent(field + " must be a string");
    }
    String text = value.textValue();
    if (text.isEmpty() || text.length() > maxLength) {
      throw new MalformedEvent(field + " must be 1 to " + maxLength + " characters");
    }
    return text;
  }
}

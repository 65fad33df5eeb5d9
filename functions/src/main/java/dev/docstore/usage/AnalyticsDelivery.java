package dev.docstore.usage;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.api.InvalidRequest;
import dev.docstore.api.Operation;
import dev.docstore.input.StrictJson;
import dev.docstore.outbox.EventJson;
import dev.docstore.store.AnalyticsEvent;
import dev.docstore.store.UsageStore;
import io.cloudevents.CloudEvent;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Pub/Sub {@code messagePublished} CloudEvent, as Eventarc delivers it, folded into the
 * usage counters once per eventId. A malformed event is logged and acknowledged (returning
 * normally): retrying it would never succeed. A failure to count (Spanner down) throws, so
 * Eventarc redelivers.
 */
public final class AnalyticsDelivery {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.analytics");

  private final UsageStore usage;
  private final ObjectMapper json;
  private final EventJson events;

  public AnalyticsDelivery(UsageStore usage, ObjectMapper json, EventJson events) {
    this.usage = usage;
    this.json = json;
    this.events = events;
  }

  public void deliver(CloudEvent cloudEvent) {
    AnalyticsEvent event;
    Operation operation;
    try {
      event = parse(cloudEvent);
      operation = Operation.forEventType(event.type())
          .orElseThrow(() -> new IllegalArgumentException("unknown event type"));
    } catch (IllegalArgumentException e) {
      LOG.warn("malformed analytics event acknowledged without counting",
          kv("cloudEventId", cloudEvent.getId()), kv("reason", e.getMessage()));
      return;
    }
    boolean counted = usage.countOnce(event, operation.functionName());
    LOG.info(counted ? "USAGE counted" : "USAGE duplicate ignored",
        kv("tenantId", event.tenantId()), kv("eventId", event.eventId()),
        kv("requestId", event.requestId()), kv("documentId", event.documentId()),
        kv("type", event.type()));
  }

  private AnalyticsEvent parse(CloudEvent cloudEvent) {
    if (cloudEvent.getData() == null) {
      throw new IllegalArgumentException("no data");
    }
    JsonNode envelope;
    try {
      envelope = StrictJson.read(json, cloudEvent.getData().toBytes());
    } catch (InvalidRequest e) {
      throw new IllegalArgumentException("envelope is not JSON in strict UTF-8");
    }
    JsonNode data = envelope == null ? null : envelope.path("message").get("data");
    if (data == null || !data.isTextual()) {
      throw new IllegalArgumentException("no message.data");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(data.textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("message.data is not base64");
    }
    try {
      return events.read(StrictJson.read(json, bytes));
    } catch (InvalidRequest e) {
      throw new IllegalArgumentException("message.data is not JSON in strict UTF-8");
    }
  }
}

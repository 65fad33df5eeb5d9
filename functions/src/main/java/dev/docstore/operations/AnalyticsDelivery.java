package dev.docstore.operations;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.app.Docstore;
import dev.docstore.outbox.AnalyticsEvent;
import dev.docstore.outbox.UsageAggregator;
import io.cloudevents.CloudEvent;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Pub/Sub {@code messagePublished} CloudEvent, as Eventarc delivers it, folded into the
 * usage counters. A malformed event is logged and acknowledged (returning normally): retrying
 * it would never succeed. A failure to count (Spanner down) throws, so Eventarc redelivers.
 */
public final class AnalyticsDelivery {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.analytics");

  private final Docstore app;

  public AnalyticsDelivery(Docstore app) {
    this.app = app;
  }

  public void deliver(CloudEvent cloudEvent) {
    AnalyticsEvent event;
    try {
      event = parse(cloudEvent);
    } catch (IllegalArgumentException e) {
      LOG.warn("malformed analytics event acknowledged without counting",
          kv("cloudEventId", cloudEvent.getId()), kv("reason", e.getMessage()));
      return;
    }
    boolean counted = new UsageAggregator(app.databaseClient()).count(event);
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
      envelope = app.json().readTree(cloudEvent.getData().toBytes());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("envelope is not JSON");
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
    AnalyticsEvent event = AnalyticsEvent.fromJson(app.json(), bytes);
    try {
      dev.docstore.write.WriteOperation.forEventType(event.type());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown event type");
    }
    return event;
  }
}

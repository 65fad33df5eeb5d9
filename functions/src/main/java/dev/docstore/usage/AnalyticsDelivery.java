package dev.docstore.usage;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.api.InvalidRequest;
import dev.docstore.api.MalformedEvent;
import dev.docstore.api.Operation;
import dev.docstore.failure.Failure;
import dev.docstore.input.Identifiers;
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
 * usage counters once per eventId.
 *
 * <p>Returning normally acknowledges the message; throwing makes the function answer 500, and
 * Pub/Sub delivers it again (until the dead-letter policy's attempts run out, which leaves it
 * in the dead-letter topic for a replay). Everything the message itself controls (the CloudEvent
 * type, the envelope, the event's fields and their bounds) is validated before any Spanner call,
 * and a message that fails validation is acknowledged with a WARNING: redelivering it would fail
 * the same way forever. Once it has passed, a failure of the count is the system's, not the
 * message's: it throws, transient or not (a WARNING for a transient one, an ERROR with its stack
 * trace otherwise), so a committed write's count is kept rather than dropped.
 */
public final class AnalyticsDelivery {
  /** The CloudEvent type Eventarc delivers for a Pub/Sub message. */
  public static final String MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";
  /** Eventarc's envelope of one event: the base64 event, a few attributes and ids. */
  static final int MAX_ENVELOPE_BYTES = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger("docstore.analytics");

  private final Counter usage;
  private final ObjectMapper json;
  private final EventJson events;

  public AnalyticsDelivery(UsageStore usage, ObjectMapper json, EventJson events) {
    this(usage::countOnce, json, events);
  }

  AnalyticsDelivery(Counter usage, ObjectMapper json, EventJson events) {
    this.usage = usage;
    this.json = json;
    this.events = events;
  }

  /** Counts an event under an operation once per eventId; true if counted now. */
  @FunctionalInterface
  interface Counter {
    boolean countOnce(AnalyticsEvent event, String operation);
  }

  /** Counts the event, or acknowledges a message that can never be counted; throws to retry. */
  public void deliver(CloudEvent cloudEvent) {
    AnalyticsEvent event;
    try {
      event = parse(cloudEvent);
    } catch (MalformedEvent e) {
      LOG.warn("malformed analytics event acknowledged without counting",
          kv("cloudEventId", boundedId(cloudEvent.getId())), kv("reason", e.detail()));
      return;
    }
    // EventJson admits only the event types of the catalog.
    Operation operation = Operation.forEventType(event.type()).orElseThrow();
    boolean counted;
    try {
      counted = usage.countOnce(event, operation.functionName());
    } catch (RuntimeException e) {
      Failure failure = Failure.of(e);
      if (failure.kind() == Failure.Kind.TRANSIENT) {
        LOG.warn("USAGE not counted; the message will be delivered again",
            kv("tenantId", event.tenantId()), kv("eventId", event.eventId()),
            kv("reason", failure.code()));
      } else {
        LOG.error("USAGE failed; the message will be delivered again, then dead-lettered",
            kv("tenantId", event.tenantId()), kv("eventId", event.eventId()),
            kv("reason", failure.code()), e);
      }
      throw e;
    }
    LOG.info(counted ? "USAGE counted" : "USAGE duplicate ignored",
        kv("tenantId", event.tenantId()), kv("eventId", event.eventId()),
        kv("requestId", event.requestId()), kv("documentId", event.documentId()),
        kv("type", event.type()));
  }

  private AnalyticsEvent parse(CloudEvent cloudEvent) {
    if (!MESSAGE_PUBLISHED.equals(cloudEvent.getType())) {
      throw new MalformedEvent("the CloudEvent type is not " + MESSAGE_PUBLISHED);
    }
    if (cloudEvent.getData() == null) {
      throw new MalformedEvent("the CloudEvent has no data");
    }
    byte[] envelopeBytes = cloudEvent.getData().toBytes();
    if (envelopeBytes.length > MAX_ENVELOPE_BYTES) {
      throw new MalformedEvent("the CloudEvent data is over " + MAX_ENVELOPE_BYTES + " bytes");
    }
    JsonNode envelope;
    try {
      envelope = StrictJson.read(json, envelopeBytes);
    } catch (InvalidRequest e) {
      throw new MalformedEvent("the CloudEvent data is not JSON in strict UTF-8");
    }
    JsonNode data = envelope == null ? null : envelope.path("message").get("data");
    if (data == null || !data.isTextual()) {
      throw new MalformedEvent("the CloudEvent data has no message.data string");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(data.textValue());
    } catch (IllegalArgumentException e) {
      throw new MalformedEvent("message.data is not base64");
    }
    return events.read(bytes);
  }

  /** The CloudEvent's id for the log when it has the shape of an id, else nothing of it. */
  private static String boundedId(String id) {
    return Identifiers.valid(id) ? id : null;
  }
}

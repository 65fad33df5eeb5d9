package dev.docstore.store;

import com.google.cloud.Timestamp;

/**
 * The analytics event of one committed write, as its outbox row holds it. Its JSON form is
 * {@code outbox.EventJson}; docs/analytics-event.schema.json documents it.
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
}

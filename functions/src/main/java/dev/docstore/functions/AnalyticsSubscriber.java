package dev.docstore.functions;

import com.google.cloud.functions.CloudEventsFunction;
import dev.docstore.app.Docstore;
import io.cloudevents.CloudEvent;

/**
 * The Pub/Sub {@code messagePublished} CloudEvent from Eventarc → DailyApiUsageShards, once per
 * eventId. Private: only Eventarc's service account may invoke it.
 */
public final class AnalyticsSubscriber implements CloudEventsFunction {
  private final Docstore docstore = Docstore.shared();

  @Override
  public void accept(CloudEvent event) {
    docstore.deliver(event);
  }
}

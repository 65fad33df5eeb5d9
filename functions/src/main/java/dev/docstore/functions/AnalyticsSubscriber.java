package dev.docstore.functions;

import com.google.cloud.functions.CloudEventsFunction;
import dev.docstore.app.Docstore;
import dev.docstore.operations.AnalyticsDelivery;
import io.cloudevents.CloudEvent;

/**
 * The Pub/Sub {@code messagePublished} CloudEvent from Eventarc → DailyApiUsage, once per
 * eventId. Private: only Eventarc's service account may invoke it.
 */
public final class AnalyticsSubscriber implements CloudEventsFunction {
  private final AnalyticsDelivery delivery;

  public AnalyticsSubscriber() {
    this(Docstore.shared());
  }

  public AnalyticsSubscriber(Docstore app) {
    this.delivery = new AnalyticsDelivery(app);
  }

  @Override
  public void accept(CloudEvent event) {
    delivery.deliver(event);
  }
}

package dev.docstore.api;

/**
 * An analytics message that can never be counted (not the CloudEvent Eventarc sends for Pub/Sub,
 * not an event, a field of the wrong type or over its bound, an unknown event type): the
 * subscriber acknowledges it. The detail names the field and the rule, never its value.
 */
public final class MalformedEvent extends DocstoreException {
  public MalformedEvent(String detail) {
    super(detail);
  }

  @Override
  public Condition condition() {
    return Condition.INVALID_REQUEST;
  }
}

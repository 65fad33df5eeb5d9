package dev.docstore.api;

/** The body or its decoded content is over the limit. */
public final class PayloadTooLarge extends DocstoreException {
  public PayloadTooLarge(String detail) {
    super(detail);
  }

  @Override
  public Condition condition() {
    return Condition.PAYLOAD_TOO_LARGE;
  }
}

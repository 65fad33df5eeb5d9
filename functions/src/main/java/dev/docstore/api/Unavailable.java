package dev.docstore.api;

/** A dependency is down or a fault was injected: safe to retry with the same key. */
public final class Unavailable extends DocstoreException {
  public Unavailable(String detail) {
    super(detail);
  }

  @Override
  public Condition condition() {
    return Condition.UNAVAILABLE;
  }
}

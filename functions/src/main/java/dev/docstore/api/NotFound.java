package dev.docstore.api;

/** Absent, or another tenant's: the two answer alike, so existence is never revealed. */
public final class NotFound extends DocstoreException {
  public NotFound(String what) {
    super(what + " was not found");
  }

  @Override
  public Condition condition() {
    return Condition.NOT_FOUND;
  }
}

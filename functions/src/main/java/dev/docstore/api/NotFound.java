package dev.docstore.api;

/** Absent, or another tenant's: the two answer alike, so existence is never revealed. */
public final class NotFound extends DocstoreException {
  public NotFound(String what) {
    super(what + " was not found");
  }

  private NotFound() {
    super("no function is served at this path");
  }

  /** A path no function serves, on a host that serves several functions under one server. */
  public static NotFound path() {
    return new NotFound();
  }

  @Override
  public Condition condition() {
    return Condition.NOT_FOUND;
  }
}

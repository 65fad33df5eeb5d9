package dev.docstore.api;

/**
 * Missing or invalid credentials. The caller only ever reads "missing or invalid credentials";
 * the {@link #reason} is for the log line.
 */
public final class Unauthenticated extends DocstoreException {
  private final String reason;

  public Unauthenticated(String reason) {
    super("missing or invalid credentials");
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  @Override
  public Condition condition() {
    return Condition.UNAUTHENTICATED;
  }
}

package dev.docstore.api;

/** The key was used earlier for another operation or another body. Nothing is written. */
public final class IdempotencyKeyReused extends DocstoreException {
  public IdempotencyKeyReused() {
    super("this Idempotency-Key was already used with a different request");
  }

  @Override
  public Condition condition() {
    return Condition.IDEMPOTENCY_KEY_REUSED;
  }
}

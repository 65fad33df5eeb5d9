package dev.docstore.api;

/**
 * How a successful operation answers: it created a resource, or it did what was asked. The status
 * is stored with an idempotency record, so a replay answers exactly what the first call did.
 */
public enum Outcome {
  CREATED(201),
  OK(200);

  private final int status;

  Outcome(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}

package dev.docstore.api;

/** Malformed JSON, a wrong type, a missing or extra field, a broken limit, a bad header. */
public final class InvalidRequest extends DocstoreException {
  public InvalidRequest(String detail) {
    super(detail);
  }

  @Override
  public Condition condition() {
    return Condition.INVALID_REQUEST;
  }
}

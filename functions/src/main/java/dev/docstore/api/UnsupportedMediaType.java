package dev.docstore.api;

/** A body that is not JSON. */
public final class UnsupportedMediaType extends DocstoreException {
  public UnsupportedMediaType(String detail) {
    super(detail);
  }

  @Override
  public Condition condition() {
    return Condition.UNSUPPORTED_MEDIA_TYPE;
  }
}

package dev.docstore.api;

/** The active version cannot be deleted. */
public final class VersionIsActive extends DocstoreException {
  public VersionIsActive(String detail) {
    super(detail);
  }

  @Override
  public Condition condition() {
    return Condition.VERSION_IS_ACTIVE;
  }
}

package dev.docstore.api;

/** The version is not in the state the operation needs (restoring a live one, activating a deleted one). */
public final class VersionStateConflict extends DocstoreException {
  public VersionStateConflict(String detail) {
    super(detail);
  }

  @Override
  public Condition condition() {
    return Condition.VERSION_STATE;
  }
}

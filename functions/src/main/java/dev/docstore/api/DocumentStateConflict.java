package dev.docstore.api;

/**
 * The document is not in the state the operation needs: a write on a trashed document, trashing
 * a trashed one, restoring a live one.
 */
public final class DocumentStateConflict extends DocstoreException {
  public DocumentStateConflict(String detail) {
    super(detail);
  }

  @Override
  public Condition condition() {
    return Condition.DOCUMENT_STATE;
  }
}

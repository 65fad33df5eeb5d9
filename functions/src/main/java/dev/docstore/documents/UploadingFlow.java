package dev.docstore.documents;

import dev.docstore.logging.WriteLog;
import dev.docstore.write.WriteFlow;

/**
 * A write whose content is uploaded before its transaction ({@link ContentUpload}), and whose own
 * upload is removed when the transaction applied nothing (a replay, a refusal, a failpoint). An
 * interface, so that a write on an existing document ({@link ExistingDocumentFlow}) can be one
 * too.
 */
public interface UploadingFlow extends WriteFlow {
  /** This request's upload. */
  ContentUpload upload();

  /** Removes the object this request created, as far as nothing else may use it. */
  void removeOwnUpload(WriteLog log);

  @Override
  default void beforeTransaction(WriteLog log) {
    upload().upload(log);
  }

  /** An upload costs a storage round trip and moves the content: a replay should not pay it. */
  @Override
  default boolean replayCheckedBeforeEffects() {
    return true;
  }

  @Override
  default void afterNoEffect(WriteLog log) {
    upload().afterNoEffect(log, this::removeOwnUpload);
  }
}

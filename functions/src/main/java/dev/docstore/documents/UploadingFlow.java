package dev.docstore.documents;

import dev.docstore.logging.WriteLog;
import dev.docstore.write.WriteFlow;

/**
 * A write whose content is uploaded before its transaction ({@link ContentUpload}), and whose own
 * upload is removed when the transaction applied nothing (a replay, a refusal, a failpoint).
 */
public abstract class UploadingFlow implements WriteFlow {
  protected final ContentUpload upload;

  protected UploadingFlow(ContentUpload upload) {
    this.upload = upload;
  }

  @Override
  public final void beforeTransaction(WriteLog log) {
    upload.upload(log);
  }

  @Override
  public final void afterNoEffect(WriteLog log) {
    if (upload.createdByThisRequest()) {
      removeOwnUpload(log);
    }
  }

  /** Removes the object this request created, as far as nothing else may use it. */
  protected abstract void removeOwnUpload(WriteLog log);
}

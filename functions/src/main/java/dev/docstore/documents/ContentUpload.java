package dev.docstore.documents;

import dev.docstore.input.Content;
import dev.docstore.logging.WriteLog;
import dev.docstore.store.ContentStore;
import java.util.function.Consumer;

/**
 * One request's content, uploaded before its transaction under the content-addressed name
 * {@code {tenant}/{document}/{sha256}}, remembering whether this request created the object (and
 * so may remove it when it commits nothing). The writes that carry content share it.
 */
public final class ContentUpload {
  private final ContentStore store;
  private final Content content;
  private final String objectName;
  private ContentStore.Stored stored;

  public ContentUpload(ContentStore store, String tenantId, String documentId, Content content) {
    this.store = store;
    this.content = content;
    this.objectName = ContentStore.objectName(tenantId, documentId, content.sha256());
  }

  public String objectName() {
    return objectName;
  }

  /** Uploads unless the object exists; harmless to repeat (the name is content-addressed). */
  public void upload(WriteLog log) {
    stored = store.upload(objectName, content.bytes(), content.contentType());
    log.storage("upload", stored.created() ? "created" : "exists");
  }

  /**
   * After a transaction that applied nothing (a replay, a refusal, a failpoint): runs
   * {@code removeOwnUpload} when this request created the object, which then nothing else uses
   * because of it.
   */
  public void afterNoEffect(WriteLog log, Consumer<WriteLog> removeOwnUpload) {
    if (createdByThisRequest()) {
      removeOwnUpload.accept(log);
    }
  }

  /** Whether the upload ran and created the object, rather than finding it there. */
  public boolean createdByThisRequest() {
    return stored != null && stored.created();
  }

  /** The generation of the uploaded or found object; only after {@link #upload}. */
  public long generation() {
    return stored.generation();
  }
}

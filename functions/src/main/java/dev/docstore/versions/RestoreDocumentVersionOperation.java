package dev.docstore.versions;

import com.google.cloud.spanner.Struct;
import com.google.cloud.storage.StorageException;
import dev.docstore.api.Operation;
import dev.docstore.api.Outcome;
import dev.docstore.api.VersionStateConflict;
import dev.docstore.documents.Views;
import dev.docstore.logging.WriteLog;
import dev.docstore.store.ContentStore;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.VersionRow;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteFlow;
import dev.docstore.write.WriteRequest;
import java.util.List;
import java.util.Optional;

/**
 * restoreDocumentVersion: the object comes back (GCS soft-delete restore of the recorded
 * generation) before the transaction, then the version becomes LIVE. A live version is 409.
 */
public final class RestoreDocumentVersionOperation extends VersionTargetOperation {
  private static final int NOT_FOUND = 404;

  private final DocumentStore documents;
  private final ContentStore content;
  private final ObjectLifecycle objects;

  public RestoreDocumentVersionOperation(DocumentStore documents, ContentStore content,
      ObjectLifecycle objects) {
    super(Operation.RESTORE_DOCUMENT_VERSION);
    this.documents = documents;
    this.content = content;
    this.objects = objects;
  }

  @Override
  public WriteFlow flow(WriteRequest request, VersionTarget target) {
    return new Flow(request, target);
  }

  private final class Flow extends VersionTargetFlow {
    private long restoredGeneration = -1;

    Flow(WriteRequest request, VersionTarget target) {
      super(request, target);
    }

    /** Its pre-read and restore cost a Spanner read and a storage call: a replay pays neither. */
    @Override
    public boolean replayCheckedBeforeEffects() {
      return true;
    }

    @Override
    public void beforeTransaction(WriteLog log) {
      // The recorded generation lives in Spanner, so this one read (the document and the
      // version) precedes the transaction. A request the transaction will refuse restores
      // nothing: a missing document or version (404), a stale If-Match (412), a trashed
      // document (409), a live version (409). Race window: the document may be trashed, or its
      // etag move, between this read and the transaction; the object then comes back while its
      // version stays DELETED. It is unreferenced and harmless, and purging the document
      // removes it with every other object under the document's prefix.
      Optional<VersionRow> version = documents
          .getDocument(tenant, target.documentId(), target.version() - 1, 1)
          .filter(found -> admits(found.document()))
          .flatMap(found -> found.versions().stream()
              .filter(v -> v.version() == target.version()).findFirst());
      if (version.isEmpty() || version.get().live()) {
        return;
      }
      try {
        restoredGeneration = content.restore(version.get().objectName(),
            version.get().objectGeneration());
        log.storage("restore", "ok");
      } catch (StorageException e) {
        if (e.getCode() != NOT_FOUND) {
          throw e;
        }
        log.storageFailed("restore", "the soft-deleted generation is gone");
        throw new VersionStateConflict("the version's content is no longer recoverable");
      }
    }

    @Override
    protected Change decide(DocumentRow document, Struct rows, TxContext tx) {
      VersionRow version = version(DocumentStore.version(rows));
      if (version.live()) {
        throw new VersionStateConflict("the version is not deleted");
      }
      if (restoredGeneration < 0) {
        // Deleted between our read and this transaction: nothing was restored for it yet.
        throw new VersionStateConflict("the version changed concurrently; retry");
      }
      VersionRow restored = version.restored(restoredGeneration);
      DocumentRow updated = document.withVersions(document.activeVersion(),
          document.latestVersion(), tx.now());
      long generation = restoredGeneration;
      return Change.of(Outcome.OK, Views.documentAndVersion(updated, restored),
              List.of(DocumentStore.updateVersionState(tenant, restored),
                  DocumentStore.updateDocument(tenant, updated)), version.version())
          .thenAfterCommit(log -> objects.ensureRestored(log, version.objectName(),
              generation));
    }
  }
}

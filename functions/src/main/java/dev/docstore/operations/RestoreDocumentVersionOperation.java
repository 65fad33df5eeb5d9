package dev.docstore.operations;

import com.google.cloud.spanner.Struct;
import com.google.cloud.storage.StorageException;
import dev.docstore.app.Docstore;
import dev.docstore.auth.Caller;
import dev.docstore.http.ApiException;
import dev.docstore.http.ErrorCode;
import dev.docstore.logging.WriteLog;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.VersionRow;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteOperation;
import dev.docstore.write.WriteRequest;
import dev.docstore.write.WriteResult;
import java.util.List;
import java.util.Optional;

/**
 * restoreDocumentVersion: the object comes back (GCS soft-delete restore of the recorded
 * generation) before the transaction, then the version becomes LIVE. A live version is 409.
 */
public final class RestoreDocumentVersionOperation {
  public static final WriteOperation OP = WriteOperation.RESTORE_DOCUMENT_VERSION;
  private static final int NOT_FOUND = 404;

  private final Docstore app;
  private final ObjectLifecycle objects;

  public RestoreDocumentVersionOperation(Docstore app) {
    this.app = app;
    this.objects = new ObjectLifecycle(app);
  }

  public WriteResult execute(Caller caller, String requestId, Optional<String> idempotencyKey,
      VersionTarget target) {
    WriteRequest request =
        VersionTargetFlow.request(OP, caller, requestId, idempotencyKey, target);
    return app.writeShape().run(request, new VersionTargetFlow(caller, target) {
      private long restoredGeneration = -1;

      @Override
      public void beforeTransaction(WriteLog log) {
        // The recorded generation lives in Spanner, so this one read precedes the transaction.
        // A missing or live version is left for the transaction to reject with 404 or 409.
        Optional<VersionRow> version =
            app.documents().getVersion(tenant, target.documentId(), target.version());
        if (version.isEmpty() || version.get().live()) {
          return;
        }
        try {
          restoredGeneration = app.content().restore(version.get().objectName(),
              version.get().objectGeneration());
          log.storage("restore", "ok");
        } catch (StorageException e) {
          if (e.getCode() != NOT_FOUND) {
            throw e;
          }
          log.storageFailed("restore", "the soft-deleted generation is gone");
          throw new ApiException(ErrorCode.VERSION_STATE,
              "the version's content is no longer recoverable");
        }
      }

      @Override
      public Change decide(Struct rows, TxContext tx) {
        DocumentRow document = document(rows);
        VersionRow version = version(DocumentStore.version(rows));
        if (version.live()) {
          throw new ApiException(ErrorCode.VERSION_STATE, "the version is not deleted");
        }
        if (restoredGeneration < 0) {
          // Deleted between our read and this transaction: nothing was restored for it yet.
          throw new ApiException(ErrorCode.VERSION_STATE,
              "the version changed concurrently; retry");
        }
        VersionRow restored = version.restored(restoredGeneration);
        DocumentRow updated = document.withVersions(document.activeVersion(),
            document.latestVersion(), tx.now());
        long generation = restoredGeneration;
        return Change.of(200, Views.documentAndVersion(app.json(), updated, restored),
                List.of(DocumentStore.updateVersionState(tenant, restored),
                    DocumentStore.updateDocumentPointers(tenant, updated)), version.version())
            .thenAfterCommit(log -> objects.ensureRestored(log, version.objectName(),
                generation));
      }
    });
  }
}

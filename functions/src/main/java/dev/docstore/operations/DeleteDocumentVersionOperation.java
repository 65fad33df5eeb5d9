package dev.docstore.operations;

import com.google.cloud.spanner.Struct;
import dev.docstore.app.Docstore;
import dev.docstore.auth.Caller;
import dev.docstore.http.ApiException;
import dev.docstore.http.ErrorCode;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.Subquery;
import dev.docstore.store.VersionRow;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteOperation;
import dev.docstore.write.WriteRequest;
import dev.docstore.write.WriteResult;
import java.util.List;
import java.util.Optional;

/**
 * deleteDocumentVersion: the version becomes DELETED; its object is deleted after the commit
 * unless another live version of the document shares it. The active version is 409.
 */
public final class DeleteDocumentVersionOperation {
  public static final WriteOperation OP = WriteOperation.DELETE_DOCUMENT_VERSION;

  private final Docstore app;
  private final ObjectLifecycle objects;

  public DeleteDocumentVersionOperation(Docstore app) {
    this.app = app;
    this.objects = new ObjectLifecycle(app);
  }

  public WriteResult execute(Caller caller, String requestId, Optional<String> idempotencyKey,
      VersionTarget target) {
    WriteRequest request =
        VersionTargetFlow.request(OP, caller, requestId, idempotencyKey, target);
    return app.writeShape().run(request, new VersionTargetFlow(caller, target) {
      @Override
      public List<Subquery> reads() {
        return List.of(DocumentStore.documentRow(tenant, target.documentId()),
            DocumentStore.versionsSharingContent(tenant, target.documentId(), target.version()));
      }

      @Override
      public Change decide(Struct rows, TxContext tx) {
        DocumentRow document = document(rows);
        List<VersionRow> sharing = DocumentStore.sharing(rows);
        VersionRow version = version(sharing.stream()
            .filter(v -> v.version() == target.version()).findFirst());
        if (!version.live()) {
          throw new ApiException(ErrorCode.VERSION_STATE, "the version is already deleted");
        }
        if (document.activeVersion() == version.version()) {
          throw new ApiException(ErrorCode.VERSION_IS_ACTIVE,
              "the active version cannot be deleted; activate another version first");
        }
        VersionRow deleted = version.deleted(tx.now());
        DocumentRow updated = document.withVersions(document.activeVersion(),
            document.latestVersion(), tx.now());
        Change change = Change.of(200, Views.documentAndVersion(app.json(), updated, deleted),
            List.of(DocumentStore.updateVersionState(tenant, deleted),
                DocumentStore.updateDocumentPointers(tenant, updated)), version.version());
        boolean shared = sharing.stream()
            .anyMatch(v -> v.version() != version.version() && v.live());
        if (shared) {
          return change.thenAfterCommit(log -> log.storage("objectDelete",
              "kept: another live version shares the content"));
        }
        return change.thenAfterCommit(log -> {
          if (app.failpoints().fires(OP.point("afterCommitBeforeObjectDelete"))) {
            log.storageFailed("objectDelete",
                "skipped by failpoint; the object stays unreferenced");
            return;
          }
          objects.deleteUnlessReferenced(log, tenant, target.documentId(),
              version.contentSha256(), version.objectName());
        });
      }
    });
  }
}

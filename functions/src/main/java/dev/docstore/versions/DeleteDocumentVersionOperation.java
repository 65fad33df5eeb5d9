package dev.docstore.versions;

import com.google.cloud.spanner.Struct;
import dev.docstore.api.Operation;
import dev.docstore.api.Outcome;
import dev.docstore.api.Step;
import dev.docstore.api.VersionIsActive;
import dev.docstore.api.VersionStateConflict;
import dev.docstore.documents.Views;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.Subquery;
import dev.docstore.store.VersionRow;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteFlow;
import dev.docstore.write.WriteRequest;
import java.util.List;

/**
 * deleteDocumentVersion: the version becomes DELETED; its object is deleted after the commit
 * unless another live version of the document shares it. The active version is 409.
 */
public final class DeleteDocumentVersionOperation extends VersionTargetOperation {
  private final ObjectLifecycle objects;

  public DeleteDocumentVersionOperation(ObjectLifecycle objects) {
    super(Operation.DELETE_DOCUMENT_VERSION);
    this.objects = objects;
  }

  @Override
  public WriteFlow flow(WriteRequest request, VersionTarget target) {
    return new Flow(request, target);
  }

  private final class Flow extends VersionTargetFlow {
    Flow(WriteRequest request, VersionTarget target) {
      super(request, target);
    }

    @Override
    protected List<Subquery> moreReads() {
      return List.of(
          DocumentStore.versionsSharingContent(tenant, target.documentId(), target.version()));
    }

    @Override
    protected Change decide(DocumentRow document, Struct rows, TxContext tx) {
      List<VersionRow> sharing = DocumentStore.sharing(rows);
      VersionRow version = version(sharing.stream()
          .filter(v -> v.version() == target.version()).findFirst());
      if (!version.live()) {
        throw new VersionStateConflict("the version is already deleted");
      }
      if (document.activeVersion() == version.version()) {
        throw new VersionIsActive(
            "the active version cannot be deleted; activate another version first");
      }
      VersionRow deleted = version.deleted(tx.now());
      DocumentRow updated = document.withVersions(document.activeVersion(),
          document.latestVersion(), tx.now());
      Change change = Change.of(Outcome.OK, Views.documentAndVersion(updated, deleted),
          List.of(DocumentStore.updateVersionState(tenant, deleted),
              DocumentStore.updateDocument(tenant, updated)), version.version());
      boolean shared = sharing.stream()
          .anyMatch(v -> v.version() != version.version() && v.live());
      if (shared) {
        return change.thenAfterCommit(log -> log.storage("objectDelete",
            "kept: another live version shares the content"));
      }
      // Skipped by its failpoint, the object stays unreferenced: nothing serves it any more.
      return change.thenAfterCommit(Step.AFTER_COMMIT_BEFORE_OBJECT_DELETE,
          log -> objects.deleteCommittedUnreferenced(log, tenant, target.documentId(),
              version.contentSha256(), version.objectName()));
    }
  }
}

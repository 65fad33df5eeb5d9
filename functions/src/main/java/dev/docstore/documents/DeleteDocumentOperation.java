package dev.docstore.documents;

import com.google.cloud.spanner.Struct;
import dev.docstore.api.DocumentStateConflict;
import dev.docstore.api.Operation;
import dev.docstore.api.Outcome;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteFlow;
import dev.docstore.write.WriteRequest;
import java.util.List;

/**
 * deleteDocument: moves a live document to the trash. Nothing is removed: its versions and
 * objects stay until purgeTrash removes the document after TRASH_RETENTION, and restoreDocument
 * brings it back until then.
 */
public final class DeleteDocumentOperation extends DocumentTargetOperation {
  public DeleteDocumentOperation() {
    super(Operation.DELETE_DOCUMENT);
  }

  @Override
  public WriteFlow flow(WriteRequest request, DocumentTarget target) {
    return new ExistingDocumentFlow(request, target.documentId()) {
      @Override
      protected DocumentStateConflict wrongState() {
        return new DocumentStateConflict("the document is already in the trash");
      }

      @Override
      protected Change decide(DocumentRow document, Struct rows, TxContext tx) {
        DocumentRow trashed = document.inTrash(tx.now());
        return Change.of(Outcome.OK, Views.documentOnly(trashed),
            List.of(DocumentStore.updateDocument(tenant, trashed)), null);
      }
    };
  }
}

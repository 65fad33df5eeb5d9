package dev.docstore.documents;

import com.google.cloud.spanner.Struct;
import dev.docstore.api.DocumentStateConflict;
import dev.docstore.api.Operation;
import dev.docstore.api.Outcome;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentRow.DocumentState;
import dev.docstore.store.DocumentStore;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteFlow;
import dev.docstore.write.WriteRequest;
import java.util.List;

/**
 * restoreDocument: takes a trashed document out of the trash, as it was. A purge that committed
 * first leaves no row, so the restore answers 404; one that reads the document after this commit
 * finds it live and leaves it alone.
 */
public final class RestoreDocumentOperation extends DocumentTargetOperation {
  public RestoreDocumentOperation() {
    super(Operation.RESTORE_DOCUMENT);
  }

  @Override
  public WriteFlow flow(WriteRequest request, DocumentTarget target) {
    return new ExistingDocumentFlow(request, target.documentId()) {
      @Override
      protected DocumentState requiredState() {
        return DocumentState.TRASHED;
      }

      @Override
      protected DocumentStateConflict wrongState() {
        return new DocumentStateConflict("the document is not in the trash");
      }

      @Override
      protected Change decide(DocumentRow document, Struct rows, TxContext tx) {
        DocumentRow restored = document.outOfTrash(tx.now());
        return Change.of(Outcome.OK, Views.documentOnly(restored),
            List.of(DocumentStore.updateDocument(tenant, restored)), null);
      }
    };
  }
}

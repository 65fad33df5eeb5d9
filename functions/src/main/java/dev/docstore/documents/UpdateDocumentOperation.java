package dev.docstore.documents;

import com.google.cloud.spanner.Struct;
import dev.docstore.api.Operation;
import dev.docstore.api.Outcome;
import dev.docstore.input.Fields;
import dev.docstore.input.JsonBody;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteFlow;
import dev.docstore.write.WriteOperation;
import dev.docstore.write.WriteRequest;
import java.util.List;
import java.util.Set;

/**
 * updateDocument: renames a live document. Renaming to the same title is still a change (a new
 * etag, an event): the caller asked for a write and gets one, as with any other write.
 */
public final class UpdateDocumentOperation
    implements WriteOperation<UpdateDocumentOperation.Input> {
  private static final Set<String> FIELDS = Set.of("documentId", "title");

  public record Input(String documentId, String title) {}

  @Override
  public Operation operation() {
    return Operation.UPDATE_DOCUMENT;
  }

  @Override
  public Input parse(JsonBody body) {
    body.allowOnly(FIELDS);
    return new Input(Fields.documentId(body.requiredString("documentId")),
        Fields.title(body.requiredString("title")));
  }

  @Override
  public WriteFlow flow(WriteRequest request, Input input) {
    return new ExistingDocumentFlow(request, input.documentId()) {
      @Override
      protected Change decide(DocumentRow document, Struct rows, TxContext tx) {
        DocumentRow renamed = document.withTitle(input.title(), tx.now());
        return Change.of(Outcome.OK, Views.documentOnly(renamed),
            List.of(DocumentStore.updateDocument(tenant, renamed)), null);
      }
    };
  }
}

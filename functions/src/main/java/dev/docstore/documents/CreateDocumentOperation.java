package dev.docstore.documents;

import com.google.cloud.spanner.Struct;
import dev.docstore.api.Caller;
import dev.docstore.api.Operation;
import dev.docstore.api.Outcome;
import dev.docstore.api.Step;
import dev.docstore.input.Content;
import dev.docstore.input.Fields;
import dev.docstore.input.JsonBody;
import dev.docstore.logging.WriteLog;
import dev.docstore.store.ContentStore;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.Subquery;
import dev.docstore.store.VersionRow;
import dev.docstore.store.VersionRow.VersionState;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteFlow;
import dev.docstore.write.WriteOperation;
import dev.docstore.write.WriteRequest;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** createDocument: the document and its version 1, created atomically. */
public final class CreateDocumentOperation
    implements WriteOperation<CreateDocumentOperation.Input> {
  private static final Set<String> FIELDS = Set.of("title", "content", "contentBase64",
      "contentType");

  private final ContentStore content;
  private final long maxContentBytes;

  public CreateDocumentOperation(ContentStore content, long maxContentBytes) {
    this.content = content;
    this.maxContentBytes = maxContentBytes;
  }

  public record Input(String title, Content content) {}

  @Override
  public Operation operation() {
    return Operation.CREATE_DOCUMENT;
  }

  @Override
  public Input parse(JsonBody body) {
    body.allowOnly(FIELDS);
    return new Input(Fields.title(body.requiredString("title")),
        Fields.content(body, maxContentBytes));
  }

  @Override
  public boolean onExistingDocument() {
    return false;
  }

  @Override
  public WriteFlow flow(WriteRequest request, Input input) {
    return new Flow(request.caller(), UUID.randomUUID().toString(), input);
  }

  private final class Flow implements UploadingFlow {
    private final Caller caller;
    private final String documentId;
    private final Input input;
    private final ContentUpload upload;

    Flow(Caller caller, String documentId, Input input) {
      this.caller = caller;
      this.documentId = documentId;
      this.input = input;
      this.upload = new ContentUpload(content, caller.tenantId(), documentId, input.content());
    }

    @Override
    public String documentId() {
      return documentId;
    }

    @Override
    public ContentUpload upload() {
      return upload;
    }

    /**
     * The object sits under a document id generated for this request alone, so when nothing was
     * committed (a replay, a rejection) no row can ever reference it: remove it.
     */
    @Override
    public void removeOwnUpload(WriteLog log) {
      content.delete(upload.objectName());
      log.storage("cleanUp", "deleted the upload of a request that committed nothing");
    }

    @Override
    public List<Subquery> reads() {
      return List.of();
    }

    @Override
    public Change decide(Struct rows, TxContext tx) {
      String tenant = caller.tenantId();
      DocumentRow document = DocumentRow.created(documentId, input.title(), tx.now(),
          caller.userId());
      VersionRow version = new VersionRow(documentId, 1, VersionState.LIVE,
          input.content().sha256(), input.content().bytes().length,
          input.content().contentType(), upload.objectName(), upload.generation(), tx.now(),
          caller.userId(), null);
      var insertDocument = DocumentStore.insertDocument(tenant, document);
      tx.failpoint(Step.AFTER_DOCUMENT_INSERT);
      return Change.of(Outcome.CREATED, Views.documentAndVersion(document, version),
          List.of(insertDocument, DocumentStore.insertVersion(tenant, version)), 1L);
    }
  }
}

package dev.docstore.operations;

import com.google.cloud.spanner.Struct;
import dev.docstore.app.Docstore;
import dev.docstore.auth.Caller;
import dev.docstore.http.JsonBody;
import dev.docstore.idempotency.Fingerprint;
import dev.docstore.logging.WriteLog;
import dev.docstore.operations.Inputs.Content;
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
import dev.docstore.write.WriteResult;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** createDocument: the document and its version 1, created atomically. */
public final class CreateDocumentOperation {
  private static final WriteOperation OP = WriteOperation.CREATE_DOCUMENT;
  private static final Set<String> FIELDS = Set.of("title", "content", "contentBase64",
      "contentType");

  private final Docstore app;

  public CreateDocumentOperation(Docstore app) {
    this.app = app;
  }

  public record Input(String title, Content content, String fingerprint) {}

  public Input parse(JsonBody body) {
    body.allowOnly(FIELDS);
    return new Input(Inputs.title(body.requiredString("title")),
        Inputs.content(body, app.config().maxContentBytes()),
        Fingerprint.of(OP.functionName(), body.raw()));
  }

  public WriteResult execute(Caller caller, String requestId, Optional<String> idempotencyKey,
      Input input) {
    String documentId = UUID.randomUUID().toString();
    WriteRequest request = new WriteRequest(OP, caller, requestId, idempotencyKey,
        input.fingerprint());
    return app.writeShape().run(request, new Flow(caller, documentId, input));
  }

  private final class Flow implements WriteFlow {
    private final Caller caller;
    private final String documentId;
    private final Input input;
    private final String objectName;
    private ContentStore.Stored stored;

    Flow(Caller caller, String documentId, Input input) {
      this.caller = caller;
      this.documentId = documentId;
      this.input = input;
      this.objectName = ContentStore.objectName(caller.tenantId(), documentId,
          input.content().sha256());
    }

    @Override
    public String documentId() {
      return documentId;
    }

    @Override
    public void beforeTransaction(WriteLog log) {
      stored = app.content().upload(objectName, input.content().bytes(),
          input.content().contentType());
      log.storage("upload", "ok");
    }

    /**
     * The object sits under a document id generated for this request alone, so when nothing was
     * committed (a replay, a rejection) no row can ever reference it: remove it.
     */
    @Override
    public void afterNoEffect(WriteLog log) {
      if (stored != null && stored.created()) {
        app.content().delete(objectName);
        log.storage("cleanUp", "deleted the upload of a request that committed nothing");
      }
    }

    @Override
    public List<Subquery> reads() {
      return List.of();
    }

    @Override
    public Change decide(Struct rows, TxContext tx) {
      String tenant = caller.tenantId();
      DocumentRow document = new DocumentRow(documentId, input.title(), 1, 1, tx.now(),
          tx.now(), caller.userId());
      VersionRow version = new VersionRow(documentId, 1, VersionState.LIVE,
          input.content().sha256(), input.content().bytes().length,
          input.content().contentType(), objectName, stored.generation(), tx.now(),
          caller.userId(),
          null);
      var insertDocument = DocumentStore.insertDocument(tenant, document);
      tx.failpoint("afterDocumentInsert");
      return Change.of(201, Views.documentAndVersion(app.json(), document, version),
          List.of(insertDocument, DocumentStore.insertVersion(tenant, version)), 1L);
    }
  }
}

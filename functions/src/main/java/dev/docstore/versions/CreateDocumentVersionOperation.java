package dev.docstore.versions;

import com.google.cloud.spanner.Struct;
import dev.docstore.api.Caller;
import dev.docstore.api.Operation;
import dev.docstore.api.Outcome;
import dev.docstore.documents.ContentUpload;
import dev.docstore.documents.ExistingDocumentFlow;
import dev.docstore.documents.UploadingFlow;
import dev.docstore.documents.Views;
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
import java.util.Optional;
import java.util.Set;

/**
 * createDocumentVersion: the next version number, allocated under the document's lock. The
 * transaction reads the document row, so concurrent writers conflict; Spanner aborts all but one
 * and the client retries them, each then reading the new LatestVersion.
 */
public final class CreateDocumentVersionOperation
    implements WriteOperation<CreateDocumentVersionOperation.Input> {
  private static final Set<String> FIELDS = Set.of("documentId", "content", "contentBase64",
      "contentType", "activate");

  private final ContentStore content;
  private final ObjectLifecycle objects;
  private final long maxContentBytes;

  public CreateDocumentVersionOperation(ContentStore content, ObjectLifecycle objects,
      long maxContentBytes) {
    this.content = content;
    this.objects = objects;
    this.maxContentBytes = maxContentBytes;
  }

  public record Input(String documentId, Content content, boolean activate) {}

  @Override
  public Operation operation() {
    return Operation.CREATE_DOCUMENT_VERSION;
  }

  @Override
  public Input parse(JsonBody body) {
    body.allowOnly(FIELDS);
    return new Input(Fields.documentId(body.requiredString("documentId")),
        Fields.content(body, maxContentBytes),
        body.optionalBoolean("activate").orElse(true));
  }

  @Override
  public WriteFlow flow(WriteRequest request, Input input) {
    return new Flow(request, input);
  }

  private final class Flow extends ExistingDocumentFlow implements UploadingFlow {
    private final Caller caller;
    private final Input input;
    private final boolean dedupeByContent;
    private final ContentUpload upload;

    Flow(WriteRequest request, Input input) {
      super(request, input.documentId());
      this.caller = request.caller();
      this.input = input;
      this.dedupeByContent = request.idempotencyKey().isEmpty();
      this.upload = new ContentUpload(content, caller.tenantId(), input.documentId(),
          input.content());
    }

    @Override
    public ContentUpload upload() {
      return upload;
    }

    /**
     * Only unless a live version references it: a concurrent writer of the same bytes may have
     * committed against it meanwhile.
     */
    @Override
    public void removeOwnUpload(WriteLog log) {
      objects.deleteUnlessReferenced(log, caller.tenantId(), input.documentId(),
          input.content().sha256(), upload.objectName());
    }

    /**
     * The latest version only for the keyless dedupe, its one reader: a keyed write decides from
     * the document row alone, which names the next version number.
     */
    @Override
    protected List<Subquery> moreReads() {
      return dedupeByContent
          ? List.of(DocumentStore.latestVersionRow(caller.tenantId(), input.documentId()))
          : List.of();
    }

    @Override
    protected Change decide(DocumentRow document, Struct rows, TxContext tx) {
      if (dedupeByContent) {
        Optional<VersionRow> latest = DocumentStore.latest(rows);
        if (latest.isPresent() && changesNothing(document, latest.get())) {
          return Change.dedupe(Views.documentAndVersion(document, latest.get()));
        }
      }
      long number = document.latestVersion() + 1;
      VersionRow version = new VersionRow(input.documentId(), number, VersionState.LIVE,
          input.content().sha256(), input.content().bytes().length,
          input.content().contentType(), upload.objectName(), upload.generation(), tx.now(),
          caller.userId(), null);
      DocumentRow updated = document.withVersions(
          input.activate() ? number : document.activeVersion(), number, tx.now());
      String tenant = caller.tenantId();
      Change change = Change.of(Outcome.CREATED, Views.documentAndVersion(updated, version),
          List.of(DocumentStore.insertVersion(tenant, version),
              DocumentStore.updateDocument(tenant, updated)), number);
      if (upload.createdByThisRequest()) {
        return change;
      }
      return change.thenAfterCommit(log -> objects.ensureUploaded(log, upload.objectName(),
          input.content().bytes(), input.content().contentType()));
    }

    /**
     * Deterministic dedupe: a keyless request that would change nothing is an accidental double
     * upload. It would when the latest version is live with the same bytes and the same
     * contentType (compared exactly, as stored), and activating it is either not asked for or
     * already done. Asking to activate, or for another type, is a real write; so is a revert to
     * older content.
     */
    private boolean changesNothing(DocumentRow document, VersionRow latest) {
      return latest.live()
          && latest.contentSha256().equals(input.content().sha256())
          && latest.contentType().equals(input.content().contentType())
          && (!input.activate() || document.activeVersion() == latest.version());
    }
  }
}

package dev.docstore.documents;

import com.google.cloud.spanner.Struct;
import dev.docstore.api.DocumentStateConflict;
import dev.docstore.api.NotFound;
import dev.docstore.api.PreconditionFailed;
import dev.docstore.input.IfMatch;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentRow.DocumentState;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.Subquery;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteFlow;
import dev.docstore.write.WriteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every write on an existing document, checked the same way and in the same order inside its
 * transaction: the document must exist for the caller's tenant (404, as for another tenant's),
 * then {@code If-Match} must name its current etag (412, nothing written), then it must be in the
 * state the write needs (409 document_state: a trashed document is read-only). Only then does
 * the write itself decide. Reading the document row in the transaction also locks it, so a
 * concurrent trash and a version write serialise: whichever commits second sees the first.
 */
public abstract class ExistingDocumentFlow implements WriteFlow {
  protected final String tenant;
  private final String documentId;
  private final Optional<IfMatch> ifMatch;

  protected ExistingDocumentFlow(WriteRequest request, String documentId) {
    this.tenant = request.tenantId();
    this.documentId = documentId;
    this.ifMatch = request.ifMatch();
  }

  @Override
  public final String documentId() {
    return documentId;
  }

  @Override
  public final List<Subquery> reads() {
    List<Subquery> reads = new ArrayList<>();
    reads.add(DocumentStore.documentRow(tenant, documentId));
    reads.addAll(moreReads());
    return reads;
  }

  /** The rows this write reads beside the document. */
  protected List<Subquery> moreReads() {
    return List.of();
  }

  @Override
  public final Change decide(Struct rows, TxContext tx) {
    DocumentRow document = DocumentStore.document(rows)
        .orElseThrow(() -> new NotFound("the document"));
    if (!ifMatchHolds(document)) {
      throw new PreconditionFailed(DocumentEtag.of(document));
    }
    if (document.state() != requiredState()) {
      throw wrongState();
    }
    return decide(document, rows, tx);
  }

  /**
   * Whether the document, as read before the transaction, passes the checks {@link #decide}
   * makes: so that a pre-commit effect is not made for a request the transaction will refuse.
   * The transaction still decides; the document may change in between.
   */
  protected final boolean admits(DocumentRow document) {
    return ifMatchHolds(document) && document.state() == requiredState();
  }

  private boolean ifMatchHolds(DocumentRow document) {
    return ifMatch.isEmpty() || ifMatch.get().matches(DocumentEtag.of(document));
  }

  /** The state the document must be in: live, unless the write takes it out of the trash. */
  protected DocumentState requiredState() {
    return DocumentState.LIVE;
  }

  /** The refusal when the document is not in {@link #requiredState()}. */
  protected DocumentStateConflict wrongState() {
    return new DocumentStateConflict(
        "the document is in the trash, where it is read-only; restore it first");
  }

  /** Decides on the document, which exists, matches the precondition and is in its state. */
  protected abstract Change decide(DocumentRow document, Struct rows, TxContext tx);
}

package dev.docstore.documents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docstore.api.Caller;
import dev.docstore.api.InvalidRequest;
import dev.docstore.api.NotFound;
import dev.docstore.input.Fields;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentRow.DocumentState;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.DocumentStore.ListPosition;
import dev.docstore.store.DocumentWithVersions;
import dev.docstore.store.VersionRow;
import java.util.List;
import java.util.Optional;

/**
 * getDocument, listVersions and listDocuments: single-use reads, no lock, one Spanner round trip
 * each.
 */
public final class DocumentReads {
  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;
  /** getDocument serves the first versions as one page of the largest size. */
  static final int DOCUMENT_VERSIONS = MAX_PAGE_SIZE;

  private final DocumentStore documents;

  public DocumentReads(DocumentStore documents) {
    this.documents = documents;
  }

  /**
   * The document and its first {@link #DOCUMENT_VERSIONS} versions; when more follow,
   * {@code versionsNextPageToken}, the listVersions token that continues after the last one.
   */
  public ObjectNode getDocument(Caller caller, String documentId) {
    String id = Fields.documentId(documentId);
    DocumentWithVersions found = versionPage(caller, id, 0, DOCUMENT_VERSIONS);
    ObjectNode body = Views.documentWithVersions(found.document(),
        found.versions().subList(0, Math.min(DOCUMENT_VERSIONS, found.versions().size())));
    nextVersionsToken(caller, id, found.versions(), DOCUMENT_VERSIONS)
        .ifPresent(token -> body.put("versionsNextPageToken", token));
    return body;
  }

  /**
   * One page of the document's versions, ascending, deleted ones included. The token is checked
   * before the read: it is bound to the tenant and the document, so checking it reveals nothing
   * of whether the document exists; the read then answers 404 for a missing one either way.
   */
  public ObjectNode listVersions(Caller caller, String documentId, Optional<String> pageSize,
      Optional<String> pageToken) {
    String id = Fields.documentId(documentId);
    int size = pageSize.map(DocumentReads::pageSize).orElse(DEFAULT_PAGE_SIZE);
    long after =
        pageToken.map(t -> PageToken.versionsAfter(caller.tenantId(), id, t)).orElse(0L);
    List<VersionRow> versions = versionPage(caller, id, after, size).versions();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode page = body.putArray("versions");
    versions.stream().limit(size).forEach(v -> page.add(Views.version(v)));
    nextVersionsToken(caller, id, versions, size)
        .ifPresent(token -> body.put("nextPageToken", token));
    return body;
  }

  /** The document with up to {@code size + 1} versions after {@code after}; 404 if absent. */
  private DocumentWithVersions versionPage(Caller caller, String documentId, long after,
      int size) {
    // One version past the page tells whether another page follows.
    return documents.getDocument(caller.tenantId(), documentId, after, size + 1)
        .orElseThrow(() -> new NotFound("the document"));
  }

  private static Optional<String> nextVersionsToken(Caller caller, String documentId,
      List<VersionRow> versions, int size) {
    if (versions.size() <= size) {
      return Optional.empty();
    }
    return Optional.of(PageToken.versions(caller.tenantId(), documentId,
        versions.get(size - 1).version()));
  }

  public ObjectNode listDocuments(Caller caller, Optional<String> pageSize,
      Optional<String> pageToken, Optional<String> stateParameter) {
    int size = pageSize.map(DocumentReads::pageSize).orElse(DEFAULT_PAGE_SIZE);
    DocumentState state = stateParameter.map(DocumentReads::state).orElse(DocumentState.LIVE);
    // A token lists the state it was issued for: the state is part of what it is bound to.
    Optional<ListPosition> after =
        pageToken.map(t -> PageToken.documentsAfter(caller.tenantId(), state, t));
    // One row past the page tells whether another page follows.
    List<DocumentRow> rows = documents.listDocuments(caller.tenantId(), state, after, size + 1);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode page = body.putArray("documents");
    rows.stream().limit(size).forEach(d -> page.add(Views.document(d)));
    if (rows.size() > size) {
      DocumentRow last = rows.get(size - 1);
      body.put("nextPageToken", PageToken.documents(caller.tenantId(), state,
          new ListPosition(last.createdAt(), last.documentId())));
    }
    return body;
  }

  private static DocumentState state(String value) {
    return switch (value) {
      case "LIVE" -> DocumentState.LIVE;
      case "TRASHED" -> DocumentState.TRASHED;
      default -> throw new InvalidRequest("'state' must be LIVE or TRASHED");
    };
  }

  private static int pageSize(String value) {
    try {
      int size = Integer.parseInt(value);
      if (size >= 1 && size <= MAX_PAGE_SIZE) {
        return size;
      }
    } catch (NumberFormatException e) {
      // falls through to the 400 below
    }
    throw new InvalidRequest("'pageSize' must be an integer from 1 to 100");
  }
}

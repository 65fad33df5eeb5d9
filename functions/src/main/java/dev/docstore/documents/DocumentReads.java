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
import java.util.List;
import java.util.Optional;

/** getDocument and listDocuments: single-use reads, no lock, one Spanner round trip each. */
public final class DocumentReads {
  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;

  private final DocumentStore documents;

  public DocumentReads(DocumentStore documents) {
    this.documents = documents;
  }

  public ObjectNode getDocument(Caller caller, String documentId) {
    DocumentWithVersions found = documents
        .getDocument(caller.tenantId(), Fields.documentId(documentId))
        .orElseThrow(() -> new NotFound("the document"));
    return Views.documentWithVersions(found.document(), found.versions());
  }

  public ObjectNode listDocuments(Caller caller, Optional<String> pageSize,
      Optional<String> pageToken, Optional<String> stateParameter) {
    int size = pageSize.map(DocumentReads::pageSize).orElse(DEFAULT_PAGE_SIZE);
    DocumentState state = stateParameter.map(DocumentReads::state).orElse(DocumentState.LIVE);
    // A token lists the state it was issued for: the state is part of what it is bound to.
    String scope = caller.tenantId() + "|" + state.name();
    Optional<ListPosition> after = pageToken.map(t -> PageToken.parse(scope, t));
    // One row past the page tells whether another page follows.
    List<DocumentRow> rows = documents.listDocuments(caller.tenantId(), state, after, size + 1);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode page = body.putArray("documents");
    rows.stream().limit(size).forEach(d -> page.add(Views.document(d)));
    if (rows.size() > size) {
      DocumentRow last = rows.get(size - 1);
      body.put("nextPageToken", PageToken.issue(scope,
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

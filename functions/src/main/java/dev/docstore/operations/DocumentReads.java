package dev.docstore.operations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docstore.app.Docstore;
import dev.docstore.auth.Caller;
import dev.docstore.http.ApiException;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore.ListPosition;
import dev.docstore.store.DocumentWithVersions;
import dev.docstore.store.VersionRow;
import java.util.List;
import java.util.Optional;

/** The reads: single-use, no lock, no transaction; one Spanner round trip each. */
public final class DocumentReads {
  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;

  private final Docstore app;

  public DocumentReads(Docstore app) {
    this.app = app;
  }

  public ObjectNode getDocument(Caller caller, String documentId) {
    DocumentWithVersions found = app.documents()
        .getDocument(caller.tenantId(), Inputs.documentId(documentId))
        .orElseThrow(() -> ApiException.notFound("the document"));
    return Views.documentWithVersions(app.json(), found.document(), found.versions());
  }

  public ObjectNode listDocuments(Caller caller, Optional<String> pageSize,
      Optional<String> pageToken) {
    int size = pageSize.map(DocumentReads::pageSize).orElse(DEFAULT_PAGE_SIZE);
    Optional<ListPosition> after = pageToken.map(t -> PageToken.parse(caller.tenantId(), t));
    // One row past the page tells whether another page follows.
    List<DocumentRow> rows = app.documents().listDocuments(caller.tenantId(), after, size + 1);
    ObjectNode body = app.json().createObjectNode();
    ArrayNode documents = body.putArray("documents");
    rows.stream().limit(size).forEach(d -> documents.add(Views.document(app.json(), d)));
    if (rows.size() > size) {
      DocumentRow last = rows.get(size - 1);
      body.put("nextPageToken", PageToken.issue(caller.tenantId(),
          new ListPosition(last.createdAt(), last.documentId())));
    }
    return body;
  }

  /** A live version's bytes. A deleted version, like a missing one, is 404. */
  public Content getVersionContent(Caller caller, String documentId, String version) {
    VersionRow row = app.documents()
        .getVersion(caller.tenantId(), Inputs.documentId(documentId), Inputs.version(version))
        .filter(VersionRow::live)
        .orElseThrow(() -> ApiException.notFound("the version"));
    byte[] bytes = app.content().read(row.objectName())
        .orElseThrow(() -> new IllegalStateException("a live version's object is missing"));
    return new Content(bytes, row.contentType(), row.contentSha256());
  }

  public record Content(byte[] bytes, String contentType, String sha256) {}

  private static int pageSize(String value) {
    try {
      int size = Integer.parseInt(value);
      if (size >= 1 && size <= MAX_PAGE_SIZE) {
        return size;
      }
    } catch (NumberFormatException e) {
      // falls through to the 400 below
    }
    throw ApiException.invalid("'pageSize' must be an integer from 1 to 100");
  }
}

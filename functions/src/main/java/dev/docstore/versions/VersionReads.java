package dev.docstore.versions;

import dev.docstore.api.Caller;
import dev.docstore.api.NotFound;
import dev.docstore.input.Fields;
import dev.docstore.store.ContentStore;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.VersionRow;

/** getVersionContent: one single-use read of the version row, then the object's bytes. */
public final class VersionReads {
  private final DocumentStore documents;
  private final ContentStore content;

  public VersionReads(DocumentStore documents, ContentStore content) {
    this.documents = documents;
    this.content = content;
  }

  /** A live version's bytes. A deleted version, like a missing one, is 404. */
  public VersionContent getVersionContent(Caller caller, String documentId, String version) {
    VersionRow row = documents
        .getVersion(caller.tenantId(), Fields.documentId(documentId), Fields.version(version))
        .filter(VersionRow::live)
        .orElseThrow(() -> new NotFound("the version"));
    // A live version whose object is missing breaks an invariant: a 500, never a 404, which
    // would tell the client the version does not exist.
    byte[] bytes = content.read(row.objectName())
        .orElseThrow(() -> new IllegalStateException("a live version's object is missing"));
    return new VersionContent(bytes, row.contentType(), row.contentSha256());
  }

  /** What getVersionContent serves: the bytes, their media type and their SHA-256. */
  public record VersionContent(byte[] bytes, String contentType, String sha256) {}
}

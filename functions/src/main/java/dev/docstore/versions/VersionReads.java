package dev.docstore.versions;

import dev.docstore.api.Caller;
import dev.docstore.api.NotFound;
import dev.docstore.input.Fields;
import dev.docstore.store.ContentStore;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.VersionRow;

/**
 * getVersionContent: one single-use read of the version row, which says all a conditional or
 * ranged request needs (sha256, length, type); the object's bytes are read only when served.
 */
public final class VersionReads {
  private final DocumentStore documents;
  private final ContentStore content;

  public VersionReads(DocumentStore documents, ContentStore content) {
    this.documents = documents;
    this.content = content;
  }

  /** A live version's content, not read yet. A deleted version, like a missing one, is 404. */
  public VersionContent getVersionContent(Caller caller, String documentId, String version) {
    VersionRow row = documents
        .getVersion(caller.tenantId(), Fields.documentId(documentId), Fields.version(version))
        .filter(VersionRow::live)
        .orElseThrow(() -> new NotFound("the version"));
    return new VersionContent(content, row.objectName(), row.contentType(),
        row.contentSha256(), row.contentLength());
  }
}

package dev.docstore.documents;

import dev.docstore.input.Sha256;
import dev.docstore.store.DocumentRow;

/**
 * A document's entity tag: a strong validator derived from its id and revision, which every
 * write bumps. Opaque to clients; quoted, so the {@code etag} member is the header's value.
 */
public final class DocumentEtag {
  private DocumentEtag() {}

  public static String of(DocumentRow document) {
    // The id is part of the digest so that one document's etag never matches another's.
    return "\"" + Sha256.hex(document.documentId() + "/" + document.revision()).substring(0, 24)
        + "\"";
  }
}

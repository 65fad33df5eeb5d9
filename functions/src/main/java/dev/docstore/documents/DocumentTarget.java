package dev.docstore.documents;

import dev.docstore.input.Fields;
import dev.docstore.input.JsonBody;
import java.util.Set;

/** The body {documentId} of deleteDocument and restoreDocument. */
public record DocumentTarget(String documentId) {
  private static final Set<String> FIELDS = Set.of("documentId");

  public static DocumentTarget parse(JsonBody body) {
    body.allowOnly(FIELDS);
    return new DocumentTarget(Fields.documentId(body.requiredString("documentId")));
  }
}

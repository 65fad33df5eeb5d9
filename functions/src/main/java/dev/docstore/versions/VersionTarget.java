package dev.docstore.versions;

import dev.docstore.input.Fields;
import dev.docstore.input.JsonBody;
import java.util.Set;

/** The body {documentId, version} of setActiveVersion, deleteDocumentVersion and restore. */
public record VersionTarget(String documentId, long version) {
  private static final Set<String> FIELDS = Set.of("documentId", "version");

  public static VersionTarget parse(JsonBody body) {
    body.allowOnly(FIELDS);
    return new VersionTarget(Fields.documentId(body.requiredString("documentId")),
        Fields.version(body.requiredInteger("version")));
  }
}

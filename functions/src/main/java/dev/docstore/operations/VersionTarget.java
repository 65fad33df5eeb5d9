package dev.docstore.operations;

import dev.docstore.http.JsonBody;
import dev.docstore.idempotency.Fingerprint;
import dev.docstore.write.WriteOperation;
import java.util.Set;

/** The body {documentId, version} of setActiveVersion, deleteDocumentVersion and restore. */
public record VersionTarget(String documentId, long version, String fingerprint) {
  private static final Set<String> FIELDS = Set.of("documentId", "version");

  public static VersionTarget parse(WriteOperation op, JsonBody body) {
    body.allowOnly(FIELDS);
    return new VersionTarget(Inputs.documentId(body.requiredString("documentId")),
        Inputs.version(body.requiredInteger("version")),
        Fingerprint.of(op.functionName(), body.raw()));
  }
}

package dev.docstore.idempotency;

import dev.docstore.api.InvalidRequest;
import dev.docstore.api.Operation;
import dev.docstore.input.IfMatch;
import dev.docstore.input.Sha256;
import java.io.IOException;
import java.util.Optional;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * SHA-256 of the operation, the {@code If-Match} precondition and the RFC 8785 canonical form of
 * the body, so key order, white space and equivalent escapes do not change it, while any change
 * of a value or of the precondition does.
 */
public final class Fingerprint {
  private Fingerprint() {}

  public static String of(Operation operation, Optional<IfMatch> ifMatch, byte[] jsonBody) {
    String canonical;
    try {
      canonical = new JsonCanonicalizer(jsonBody).getEncodedString();
    } catch (IOException | RuntimeException e) {
      throw new InvalidRequest("the body is not valid JSON");
    }
    // Without a precondition the input is what it always was, so records stored before
    // If-Match existed still match their retries.
    String precondition = ifMatch.map(m -> IfMatch.HEADER + ": " + m.canonical() + "\n")
        .orElse("");
    return Sha256.hex(operation.functionName() + "\n" + precondition + canonical);
  }
}

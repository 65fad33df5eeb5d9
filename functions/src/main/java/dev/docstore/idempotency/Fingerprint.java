package dev.docstore.idempotency;

import dev.docstore.api.InvalidRequest;
import dev.docstore.api.Operation;
import dev.docstore.input.Sha256;
import java.io.IOException;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * SHA-256 of the operation and the RFC 8785 canonical form of the body, so key order, white
 * space and equivalent escapes do not change it, while any change of a value does.
 */
public final class Fingerprint {
  private Fingerprint() {}

  public static String of(Operation operation, byte[] jsonBody) {
    String canonical;
    try {
      canonical = new JsonCanonicalizer(jsonBody).getEncodedString();
    } catch (IOException | RuntimeException e) {
      throw new InvalidRequest("the body is not valid JSON");
    }
    return Sha256.hex(operation.functionName() + "\n" + canonical);
  }
}

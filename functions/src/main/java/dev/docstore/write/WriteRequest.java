package dev.docstore.write;

import dev.docstore.api.Caller;
import dev.docstore.api.Operation;
import dev.docstore.idempotency.Fingerprint;
import dev.docstore.input.IfMatch;
import java.util.Optional;

/**
 * Who asked for which write, under which idempotency key, precondition and request fingerprint:
 * built once per request, by the HTTP layer (or, for a background write, by its runner), and
 * read by the write shape and the flow. The fingerprint is present exactly when the key is: a
 * keyless request computes none.
 */
public record WriteRequest(
    Operation operation,
    Caller caller,
    String requestId,
    Optional<String> idempotencyKey,
    Optional<IfMatch> ifMatch,
    Optional<Fingerprint> fingerprint) {

  public WriteRequest {
    if (idempotencyKey.isPresent() != fingerprint.isPresent()) {
      throw new IllegalArgumentException("a fingerprint goes with a key, and only with one");
    }
    if (!operation.isWrite()) {
      throw new IllegalArgumentException(operation.functionName() + " is not a write");
    }
  }

  public String tenantId() {
    return caller.tenantId();
  }
}

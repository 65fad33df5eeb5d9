package dev.docstore.write;

import dev.docstore.api.Caller;
import dev.docstore.api.Operation;
import dev.docstore.input.IfMatch;
import java.util.Optional;

/**
 * Who asked for which write, under which idempotency key, precondition and request fingerprint:
 * built once per request, by the HTTP layer (or, for a background write, by its runner), and
 * read by the write shape and the flow.
 */
public record WriteRequest(
    Operation operation,
    Caller caller,
    String requestId,
    Optional<String> idempotencyKey,
    Optional<IfMatch> ifMatch,
    String fingerprint) {

  public WriteRequest {
    if (!operation.isWrite()) {
      throw new IllegalArgumentException(operation.functionName() + " is not a write");
    }
  }

  public String tenantId() {
    return caller.tenantId();
  }
}

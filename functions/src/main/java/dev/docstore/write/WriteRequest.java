package dev.docstore.write;

import dev.docstore.api.Caller;
import dev.docstore.api.Operation;
import java.util.Optional;

/**
 * Who asked for which write, under which idempotency key and request fingerprint: built once per
 * request, by the HTTP layer, and read by the write shape and the flow.
 */
public record WriteRequest(
    Operation operation,
    Caller caller,
    String requestId,
    Optional<String> idempotencyKey,
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

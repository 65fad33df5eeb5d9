package dev.docstore.write;

import dev.docstore.auth.Caller;
import java.util.Optional;

/** Who asked for which write, under which idempotency key and request fingerprint. */
public record WriteRequest(
    WriteOperation operation,
    Caller caller,
    String requestId,
    Optional<String> idempotencyKey,
    String fingerprint) {}

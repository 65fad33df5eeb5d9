package dev.docstore.idempotency;

import dev.docstore.http.ApiException;
import dev.docstore.http.ErrorCode;

/** The same key was used earlier for another operation or another body. Nothing is written. */
public final class IdempotencyKeyReused extends ApiException {
  public IdempotencyKeyReused() {
    super(ErrorCode.IDEMPOTENCY_KEY_REUSED,
        "this Idempotency-Key was already used with a different request");
  }
}

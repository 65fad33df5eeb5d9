package dev.docstore.api;

/**
 * Why a request did not succeed, each with its stable code: the {@code code} of a problem
 * response and the {@code errorCode} of a ROLLBACK line.
 */
public enum Condition {
  INVALID_REQUEST("invalid_request"),
  UNAUTHENTICATED("unauthenticated"),
  NOT_FOUND("not_found"),
  METHOD_NOT_ALLOWED("method_not_allowed"),
  IDEMPOTENCY_KEY_REUSED("idempotency_key_reused"),
  VERSION_IS_ACTIVE("version_is_active"),
  VERSION_STATE("version_state"),
  DOCUMENT_STATE("document_state"),
  PRECONDITION_FAILED("precondition_failed"),
  PAYLOAD_TOO_LARGE("payload_too_large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
  RANGE_NOT_SATISFIABLE("range_not_satisfiable"),
  UNAVAILABLE("unavailable"),
  /** A bug: no exception names it, it is what an unclassified failure becomes. */
  INTERNAL("internal");

  private final String code;

  Condition(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}

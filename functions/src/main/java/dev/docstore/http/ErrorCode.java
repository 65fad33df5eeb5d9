package dev.docstore.http;

/** The stable error codes of DESIGN.md, each with its HTTP status and problem title. */
public enum ErrorCode {
  INVALID_REQUEST(400, "invalid_request", "Invalid request"),
  UNAUTHENTICATED(401, "unauthenticated", "Unauthenticated"),
  NOT_FOUND(404, "not_found", "Not found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed"),
  IDEMPOTENCY_KEY_REUSED(409, "idempotency_key_reused", "Idempotency key reused"),
  VERSION_IS_ACTIVE(409, "version_is_active", "Version is active"),
  VERSION_STATE(409, "version_state", "Version state conflict"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large", "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", "Unsupported media type"),
  UNAVAILABLE(503, "unavailable", "Service unavailable"),
  INTERNAL(500, "internal", "Internal error");

  private final int status;
  private final String code;
  private final String title;

  ErrorCode(int status, String code, String title) {
    this.status = status;
    this.code = code;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }
}

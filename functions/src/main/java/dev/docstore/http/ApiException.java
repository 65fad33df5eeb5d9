package dev.docstore.http;

/**
 * A request that cannot be served, with the stable code and a detail written for the caller.
 * The detail is composed by our code, never copied from another exception, so no internals leak.
 */
public class ApiException extends RuntimeException {
  private final ErrorCode code;

  public ApiException(ErrorCode code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  public static ApiException invalid(String detail) {
    return new ApiException(ErrorCode.INVALID_REQUEST, detail);
  }

  public static ApiException notFound(String what) {
    return new ApiException(ErrorCode.NOT_FOUND, what + " was not found");
  }
}

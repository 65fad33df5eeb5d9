package dev.docstore.api;

import java.util.Map;

/**
 * A request that cannot be served, with a detail written for the caller. The detail is composed
 * by our code, never copied from another exception, so no internals leak; no stack trace is
 * captured, since these are answers, not bugs.
 */
public abstract class DocstoreException extends RuntimeException {
  protected DocstoreException(String detail) {
    super(detail, null, false, false);
  }

  public abstract Condition condition();

  public String detail() {
    return getMessage();
  }

  /** Extension members of the problem answer beyond the standard ones (RFC 9457 §3.2). */
  public Map<String, String> problemMembers() {
    return Map.of();
  }
}

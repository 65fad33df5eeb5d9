package dev.docstore.api;

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
}

package dev.docstore.failpoints;

/** Thrown by a failpoint set to {@code error}. Maps to 503: the request is safe to retry. */
public final class FailpointException extends RuntimeException {
  public FailpointException(String name) {
    super("failpoint " + name, null, false, false);
  }
}

package dev.docstore.api;

import java.util.Map;

/**
 * {@code If-Match} names no current etag of the document: nothing was written. The answer
 * carries the current etag, so the client can re-read, merge and try again.
 */
public final class PreconditionFailed extends DocstoreException {
  private final String currentEtag;

  public PreconditionFailed(String currentEtag) {
    super("the document has changed since the etag in If-Match was read");
    this.currentEtag = currentEtag;
  }

  @Override
  public Map<String, String> problemMembers() {
    return Map.of("etag", currentEtag);
  }

  @Override
  public Condition condition() {
    return Condition.PRECONDITION_FAILED;
  }
}

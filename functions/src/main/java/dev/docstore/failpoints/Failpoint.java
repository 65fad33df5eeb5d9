package dev.docstore.failpoints;

/** One named point in a write flow, and which side of the commit it sits on. */
public record Failpoint(String name, Phase phase) {
  public enum Phase {
    /** Inside or before the transaction: firing it must roll everything back. */
    PRE_COMMIT,
    /** After the commit returned: the data stays, the deferred step completes later. */
    POST_COMMIT
  }
}

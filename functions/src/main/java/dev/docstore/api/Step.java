package dev.docstore.api;

/**
 * The named places between the steps of a write where a failpoint can sit. Which write has which
 * step is declared once, in {@link Operation}.
 */
public enum Step {
  AFTER_IDEMPOTENCY_CHECK("afterIdempotencyCheck", Phase.PRE_COMMIT),
  AFTER_DOCUMENT_INSERT("afterDocumentInsert", Phase.PRE_COMMIT),
  BEFORE_COMMIT("beforeCommit", Phase.PRE_COMMIT),
  AFTER_COMMIT_BEFORE_PUBLISH("afterCommitBeforePublish", Phase.POST_COMMIT),
  AFTER_COMMIT_BEFORE_OBJECT_DELETE("afterCommitBeforeObjectDelete", Phase.POST_COMMIT),
  /** purgeTrash: the document's objects are deleted, its tombstone not yet. */
  AFTER_OBJECT_DELETE("afterObjectDelete", Phase.POST_COMMIT);

  /** Which side of the commit a step sits on. */
  public enum Phase {
    /** Inside or before the transaction: firing it must roll everything back. */
    PRE_COMMIT,
    /** After the commit returned: the data stays, the deferred step completes later. */
    POST_COMMIT
  }

  private final String stepName;
  private final Phase phase;

  Step(String stepName, Phase phase) {
    this.stepName = stepName;
    this.phase = phase;
  }

  public String stepName() {
    return stepName;
  }

  public Phase phase() {
    return phase;
  }
}

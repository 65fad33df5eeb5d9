package dev.docstore.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.spanner.Mutation;
import dev.docstore.api.Outcome;
import dev.docstore.api.Step;
import dev.docstore.logging.WriteLog;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a flow decided inside the transaction: the state mutations, the answer, the version the
 * event names, and the step to run after the commit. Building a Change has no effect outside
 * Spanner, so the client may build it once per attempt.
 *
 * @param afterCommit run by the write shape once the commit returned, unless the failpoint at
 *     {@code afterCommitStep} (when not null) fires
 */
public record Change(
    Outcome outcome,
    ObjectNode body,
    List<Mutation> mutations,
    Long eventVersion,
    boolean dedupe,
    Step afterCommitStep,
    Consumer<WriteLog> afterCommit) {

  public static Change of(Outcome outcome, ObjectNode body, List<Mutation> mutations,
      Long eventVersion) {
    return new Change(outcome, body, List.copyOf(mutations), eventVersion, false, null,
        log -> { });
  }

  /**
   * An answer that writes nothing and emits nothing, served with Idempotent-Replayed: true
   * (createDocumentVersion's deterministic dedupe).
   */
  public static Change dedupe(ObjectNode body) {
    return new Change(Outcome.OK, body, List.of(), null, true, null, log -> { });
  }

  public Change thenAfterCommit(Consumer<WriteLog> effect) {
    return new Change(outcome, body, mutations, eventVersion, dedupe, null, effect);
  }

  /** An after-commit step behind its own failpoint, which skips it when it fires. */
  public Change thenAfterCommit(Step failpoint, Consumer<WriteLog> effect) {
    return new Change(outcome, body, mutations, eventVersion, dedupe, failpoint, effect);
  }
}

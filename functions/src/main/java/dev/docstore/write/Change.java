package dev.docstore.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.spanner.Mutation;
import dev.docstore.api.Outcome;
import dev.docstore.api.Step;
import dev.docstore.logging.WriteLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a flow decided inside the transaction: the state mutations, the answer, the version the
 * event names, and the steps to run after the commit. Building a Change has no effect outside
 * Spanner, so the client may build it once per attempt.
 *
 * @param afterCommit run by the write shape, in order, once the commit returned; a step whose
 *     failpoint fires, or that fails, ends the sequence there, as a crash would
 */
public record Change(
    Outcome outcome,
    ObjectNode body,
    List<Mutation> mutations,
    Long eventVersion,
    boolean dedupe,
    List<AfterCommit> afterCommit) {

  /**
   * One step after the commit, behind its own failpoint when {@code failpoint} is not null.
   * Each must be safe to leave undone: whatever it leaves is finished by a later run (the
   * relay, the next purge) or harmless.
   */
  public record AfterCommit(Step failpoint, Consumer<WriteLog> effect) {}

  public static Change of(Outcome outcome, ObjectNode body, List<Mutation> mutations,
      Long eventVersion) {
    return new Change(outcome, body, List.copyOf(mutations), eventVersion, false, List.of());
  }

  /**
   * An answer that writes nothing and emits nothing, served with Idempotent-Replayed: true
   * (createDocumentVersion's deterministic dedupe).
   */
  public static Change dedupe(ObjectNode body) {
    return nothing(Outcome.OK, body);
  }

  /**
   * An answer that writes nothing and emits nothing, for a write that finds in its transaction
   * that nothing is left to do (purgeTrash on a document trashed again since its scan, whose
   * retention starts over). The write shape treats it as a dedupe: {@link WriteResult#replayed()}
   * is true.
   */
  public static Change nothing(Outcome outcome, ObjectNode body) {
    return new Change(outcome, body, List.of(), null, true, List.of());
  }

  public Change thenAfterCommit(Consumer<WriteLog> effect) {
    return thenAfterCommit(null, effect);
  }

  /** An after-commit step behind its own failpoint, which skips it (and those after) when it fires. */
  public Change thenAfterCommit(Step failpoint, Consumer<WriteLog> effect) {
    List<AfterCommit> steps = new ArrayList<>(afterCommit);
    steps.add(new AfterCommit(failpoint, effect));
    return new Change(outcome, body, mutations, eventVersion, dedupe, List.copyOf(steps));
  }
}

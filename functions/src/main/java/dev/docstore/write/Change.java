package dev.docstore.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.spanner.Mutation;
import dev.docstore.logging.WriteLog;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a flow decided inside the transaction: the state mutations, the response, the version the
 * event names, and the deferred effect to run after the commit. Building a Change has no effect
 * outside Spanner, so the client may build it once per attempt.
 */
public record Change(
    int status,
    ObjectNode body,
    List<Mutation> mutations,
    Long eventVersion,
    boolean dedupe,
    Consumer<WriteLog> afterCommit) {

  public static Change of(int status, ObjectNode body, List<Mutation> mutations,
      Long eventVersion) {
    return new Change(status, body, List.copyOf(mutations), eventVersion, false, log -> {});
  }

  /**
   * An answer that writes nothing and emits nothing, served with Idempotent-Replayed: true
   * (createDocumentVersion's deterministic dedupe).
   */
  public static Change dedupe(int status, ObjectNode body) {
    return new Change(status, body, List.of(), null, true, log -> {});
  }

  public Change thenAfterCommit(Consumer<WriteLog> effect) {
    return new Change(status, body, mutations, eventVersion, dedupe, effect);
  }
}

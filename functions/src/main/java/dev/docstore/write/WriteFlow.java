package dev.docstore.write;

import com.google.cloud.spanner.Struct;
import dev.docstore.logging.WriteLog;
import dev.docstore.store.Subquery;
import java.util.List;

/**
 * One write request, as the steps the {@link WriteShape} runs. A flow never opens a transaction,
 * checks a key, publishes, logs boundaries or fires the shared failpoints itself.
 */
public interface WriteFlow {
  /** The document the write is about, known before the transaction (for logs). */
  String documentId();

  /**
   * Effects that must precede the transaction (uploads, restores). Runs once per request, before
   * the transaction. A client retry repeats it, so it must be harmless to repeat.
   */
  default void beforeTransaction(WriteLog log) {}

  /**
   * Whether {@link #beforeTransaction} costs enough (a storage call, a read) that a request with
   * an idempotency key first reads its key, so that a replay answers without it. The write shape
   * makes that read; the transaction still decides when it finds nothing.
   */
  default boolean replayCheckedBeforeEffects() {
    return false;
  }

  /**
   * Runs when the transaction certainly applied nothing of this request: a replay, a 4xx, a
   * failpoint. Not after an error whose commit outcome is unknown. Lets a flow remove what its
   * {@link #beforeTransaction} made only for this request.
   */
  default void afterNoEffect(WriteLog log) {}

  /** The rows to read in the transaction's first statement, beside the idempotency record. */
  List<Subquery> reads();

  /**
   * Decides from the rows read. Runs once per attempt, so it has no effect outside Spanner.
   * Throws a {@link dev.docstore.api.DocstoreException} to refuse the request (the transaction
   * rolls back and nothing is stored).
   */
  Change decide(Struct rows, TxContext tx);
}

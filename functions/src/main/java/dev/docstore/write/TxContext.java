package dev.docstore.write;

import com.google.cloud.Timestamp;
import dev.docstore.failpoints.Failpoints;

/** What a flow may use while deciding: the attempt's clock reading and its own failpoints. */
public final class TxContext {
  private final Timestamp now;
  private final WriteOperation operation;
  private final Failpoints failpoints;

  TxContext(Timestamp now, WriteOperation operation, Failpoints failpoints) {
    this.now = now;
    this.operation = operation;
    this.failpoints = failpoints;
  }

  public Timestamp now() {
    return now;
  }

  /** Fires {@code {function}.{step}} if it is armed. */
  public void failpoint(String step) {
    failpoints.hit(operation.point(step));
  }
}

package dev.docstore.write;

import com.google.cloud.Timestamp;
import dev.docstore.api.Operation;
import dev.docstore.api.Step;
import dev.docstore.failpoints.Failpoints;

/** What a flow may use while deciding: the attempt's clock reading and its own failpoints. */
public final class TxContext {
  private final Timestamp now;
  private final Operation operation;
  private final Failpoints failpoints;

  TxContext(Timestamp now, Operation operation, Failpoints failpoints) {
    this.now = now;
    this.operation = operation;
    this.failpoints = failpoints;
  }

  public Timestamp now() {
    return now;
  }

  /** Fires this write's failpoint at {@code step}, if it is armed. */
  public void failpoint(Step step) {
    failpoints.hit(operation.failpoint(step));
  }
}

package dev.docstore.store;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.AbortedException;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Options;
import com.google.cloud.spanner.TransactionContext;
import com.google.cloud.spanner.TransactionManager;
import io.grpc.Context;
import io.grpc.Deadline;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A read-write transaction whose ABORTED attempts are retried here, with pauses that end at the
 * request's deadline.
 *
 * <p>Why not {@code DatabaseClient.readWriteTransaction().run}: its retry loop pauses between
 * ABORTED attempts with a backoff that grows to 32 s and is not cut short by the gRPC
 * {@link Context} deadline. The loop checks the deadline only when the next attempt starts, so a
 * transaction that keeps aborting (on the emulator: while a transaction left open by a connection
 * reset still holds the database) answered up to 20 s past REQUEST_DEADLINE. Here a pause never
 * outlasts the deadline, and the attempt after it then fails at once on the expired deadline
 * through the client (DEADLINE_EXCEEDED), which the caller answers as 503.
 *
 * <p>The backoff is the client's own for ABORTED (the server's retry delay when it sends one,
 * otherwise 250 ms growing by 1.3 up to 32 s, with full jitter). The work may run several times,
 * as with the client's runner: it must have no effect outside the transaction.
 */
public final class BoundedTransaction {
  private static final long INITIAL_PAUSE_MILLIS = 250;
  private static final double MULTIPLIER = 1.3;
  private static final long MAX_PAUSE_MILLIS = 32_000;

  /** One attempt's work on the transaction; {@code attempt} counts from 1. */
  @FunctionalInterface
  public interface Work<T> {
    T attempt(TransactionContext tx, int attempt) throws Exception;
  }

  /** What the committed attempt returned, and the commit timestamp. */
  public record Committed<T>(T result, Timestamp commitTimestamp) {}

  private BoundedTransaction() {}

  /** Runs {@code work} until an attempt commits, tagged {@code tag}. */
  public static <T> Committed<T> run(DatabaseClient db, String tag, Work<T> work) {
    TransactionManager manager = db.transactionManager(Options.tag(tag));
    try {
      TransactionContext tx = manager.begin();
      for (int attempt = 1; ; attempt++) {
        try {
          T result = work.attempt(tx, attempt);
          manager.commit();
          return new Committed<>(result, manager.getCommitTimestamp());
        } catch (AbortedException aborted) {
          pause(aborted, attempt);
          // A fresh transaction takes the aborted one's place, begun as its retry, so that on
          // Spanner it keeps the aborted transaction's lock priority. Not resetForRetry: it
          // first waits, without any bound, for the aborted attempt's transaction id, and after
          // a connection reset that wait outlasted the deadline by seconds (a thread dump showed
          // it in TransactionContextImpl.ensureTxn). It also resets only an attempt whose commit
          // Spanner aborted, not one aborted in a read or by a failpoint.
          manager.close();
          manager = db.transactionManager(Options.tag(tag));
          tx = manager.begin(aborted);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    } finally {
      manager.close();
    }
  }

  /** Sleeps the attempt's backoff, but never past the current gRPC context's deadline. */
  private static void pause(AbortedException aborted, int attempt) {
    // The server's delay when it sends one (-1 when not), even 0: the emulator asks for an
    // immediate retry, and a backoff of its own would only let the other writers win again.
    long millis = aborted.getRetryDelayInMillis();
    if (millis < 0) {
      double ceiling = Math.min(MAX_PAUSE_MILLIS,
          INITIAL_PAUSE_MILLIS * Math.pow(MULTIPLIER, attempt - 1));
      millis = ThreadLocalRandom.current().nextLong((long) ceiling + 1);
    }
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null) {
      millis = Math.min(millis, Math.max(0, deadline.timeRemaining(TimeUnit.MILLISECONDS)));
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw aborted;
    }
  }
}

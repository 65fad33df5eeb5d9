package dev.docstore.idempotency;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Struct;
import dev.docstore.api.IdempotencyKeyReused;
import dev.docstore.api.Operation;
import dev.docstore.store.IdempotencyRecord;
import dev.docstore.store.IdempotencyStore;
import dev.docstore.store.Subquery;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The idempotency decision of a write, made inside its transaction. The key is stored in the same
 * transaction as the effect, so a record exists if and only if its effect committed: there is no
 * in-progress state to expire. The store only persists; this class decides.
 */
public final class Idempotency {
  private final Duration ttl;

  public Idempotency(Duration ttl) {
    this.ttl = ttl;
  }

  /** The part of the transaction's first statement that reads the key's record. */
  public Subquery lookup(String tenantId, String key) {
    return IdempotencyStore.lookup(tenantId, key);
  }

  /**
   * What the first statement found for the key: the stored answer to replay, or empty to go on
   * and execute. The same key with another operation or body is {@link IdempotencyKeyReused}.
   */
  public Optional<IdempotencyRecord> replay(Struct firstRead, Operation operation,
      Fingerprint fingerprint, Timestamp now) {
    // Race window: two requests with one key both reach the first read. Spanner serialises
    // them: the loser aborts, is retried, finds the winner's record here and replays it.
    return decide(IdempotencyStore.record(firstRead), operation, fingerprint, now);
  }

  /** A replay learnt before the transaction: the stored answer and the timestamp it was read at. */
  public record EarlyReplay(IdempotencyRecord record, Timestamp readTimestamp) {}

  /**
   * The replay of a key that already has a record, learnt from one single-use read of it
   * ({@link IdempotencyStore#readOnce}, made by the write shape) before the write's pre-commit
   * effects (an upload, a restore), so a replay makes none of them; or
   * {@link IdempotencyKeyReused}, as the transaction would throw; or empty, and the write goes
   * on to its effects and its transaction, which decides again. This read can only shortcut:
   *
   * <ul>
   *   <li>A record found here committed with its effect, and a record is never changed while it
   *       has not expired, so answering from it is what the transaction would answer.
   *   <li>A record that expires between this read and the transaction would be overwritten
   *       there; answering its replay here instead is right too: it had not expired when read.
   *   <li>A record written concurrently, after this read, is missed: the write goes on, its
   *       transaction conflicts with the other's on the record, and the loser's retry finds it
   *       and replays it there (its pre-commit effect then cleaned up as before).
   *   <li>A read that misses a record committed just before it (a stale replica) falls through
   *       the same way: the transaction decides.
   * </ul>
   */
  public Optional<EarlyReplay> replayBeforeTransaction(IdempotencyStore.Found found,
      Operation operation, Fingerprint fingerprint, Instant now) {
    return decide(found.record(), operation, fingerprint, timestamp(now))
        .map(record -> new EarlyReplay(record, found.readTimestamp()));
  }

  private static Optional<IdempotencyRecord> decide(Optional<IdempotencyRecord> record,
      Operation operation, Fingerprint fingerprint, Timestamp now) {
    // An expired record is absent: the row deletion policy removes it lazily (the emulator
    // never does), and the record this write stores overwrites it in its transaction.
    if (record.isEmpty() || record.get().expiredAt(now)) {
      return Optional.empty();
    }
    if (!record.get().operation().equals(operation.functionName())
        || !fingerprint.matches(record.get().fingerprint())) {
      throw new IdempotencyKeyReused();
    }
    return record;
  }

  /** The record to buffer with the effect, expiring a TTL after {@code now}. */
  public Mutation record(String tenantId, String key, Operation operation,
      Fingerprint fingerprint, int status, String body, String resourceId, Timestamp now) {
    Instant expiry = Instant.ofEpochSecond(now.getSeconds(), now.getNanos()).plus(ttl);
    return IdempotencyStore.put(tenantId, key, operation.functionName(), fingerprint.value(),
        status, body, resourceId, timestamp(expiry));
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.ofTimeSecondsAndNanos(instant.getEpochSecond(), instant.getNano());
  }
}

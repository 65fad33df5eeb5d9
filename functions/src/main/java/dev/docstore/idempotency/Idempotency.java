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
      String fingerprint, Timestamp now) {
    Optional<IdempotencyRecord> record = IdempotencyStore.record(firstRead);
    // An expired record is absent: the row deletion policy removes it lazily (the emulator
    // never does), and the record this write stores overwrites it in this same transaction.
    if (record.isEmpty() || record.get().expiredAt(now)) {
      return Optional.empty();
    }
    if (!record.get().matches(operation.functionName(), fingerprint)) {
      throw new IdempotencyKeyReused();
    }
    // Race window: two requests with one key both reach the first read. Spanner serialises
    // them: the loser aborts, is retried, finds the winner's record here and replays it.
    return record;
  }

  /** The record to buffer with the effect, expiring a TTL after {@code now}. */
  public Mutation record(String tenantId, String key, Operation operation, String fingerprint,
      int status, String body, String resourceId, Timestamp now) {
    Instant expiry = Instant.ofEpochSecond(now.getSeconds(), now.getNanos()).plus(ttl);
    Timestamp expiresAt = Timestamp.ofTimeSecondsAndNanos(expiry.getEpochSecond(),
        expiry.getNano());
    return IdempotencyStore.put(tenantId, key, operation.functionName(), fingerprint, status,
        body, resourceId, expiresAt);
  }
}

package dev.docstore.store;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ReadOnlyTransaction;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Idempotency records in Spanner, keyed by (TenantId, IdempotencyKey). The record is read in the
 * write transaction's first statement and written in the same transaction as the effect.
 */
public final class IdempotencyStore {
  static final String TABLE = "IdempotencyRecords";
  private static final List<String> COLUMNS = List.of("Operation", "Fingerprint",
      "ResponseStatus", "ResponseBody", "ResourceId", "ExpiresAt");

  private IdempotencyStore() {}

  /**
   * What a read of one key outside any read-write transaction found, and the timestamp it read
   * at.
   */
  public record Found(Optional<IdempotencyRecord> record, Timestamp readTimestamp) {}

  /**
   * The key's record by a single-use read of its row (the read API: a point lookup by key, one
   * round trip, at the cost of a key lookup whatever the table's size).
   */
  public static Found readOnce(DatabaseClient db, String tenantId, String key) {
    try (ReadOnlyTransaction read = db.singleUseReadOnlyTransaction()) {
      Struct row = read.readRow(TABLE, Key.of(tenantId, key), COLUMNS);
      return new Found(Optional.ofNullable(row).map(IdempotencyStore::row),
          read.getReadTimestamp());
    }
  }

  public static Subquery lookup(String tenantId, String key) {
    return new Subquery("idempotency",
        "ARRAY(SELECT AS STRUCT Operation, Fingerprint, ResponseStatus, ResponseBody,"
            + " ResourceId, ExpiresAt"
            + " FROM IdempotencyRecords"
            + " WHERE TenantId = @tenantId AND IdempotencyKey = @idempotencyKey)",
        Map.of("tenantId", Value.string(tenantId), "idempotencyKey", Value.string(key)));
  }

  public static Optional<IdempotencyRecord> record(Struct fused) {
    return fused.getStructList("idempotency").stream().findFirst()
        .map(IdempotencyStore::row);
  }

  private static IdempotencyRecord row(Struct s) {
    return new IdempotencyRecord(
        s.getString("Operation"),
        s.getString("Fingerprint"),
        (int) s.getLong("ResponseStatus"),
        s.getString("ResponseBody"),
        s.isNull("ResourceId") ? null : s.getString("ResourceId"),
        s.getTimestamp("ExpiresAt"));
  }

  /**
   * Writes the record. insertOrUpdate, because an expired record that the row deletion policy
   * has not yet removed counts as absent and is overwritten here.
   */
  public static Mutation put(String tenantId, String key, String operation, String fingerprint,
      int status, String body, String resourceId, Timestamp expiresAt) {
    return Mutation.newInsertOrUpdateBuilder(TABLE)
        .set("TenantId").to(tenantId)
        .set("IdempotencyKey").to(key)
        .set("Operation").to(operation)
        .set("Fingerprint").to(fingerprint)
        .set("ResponseStatus").to(status)
        .set("ResponseBody").to(body)
        .set("ResourceId").to(resourceId)
        .set("CreatedAt").to(Value.COMMIT_TIMESTAMP)
        .set("ExpiresAt").to(expiresAt)
        .build();
  }
}

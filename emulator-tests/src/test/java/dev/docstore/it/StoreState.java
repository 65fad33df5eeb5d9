package dev.docstore.it;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What the store holds at the end of a run, as plain data, so that the {@link HistoryChecker}
 * can be fed a real snapshot or a synthetic one.
 */
public final class StoreState {
  /** A document row: {@code state} LIVE or TRASHED; {@code revision} counts its writes. */
  public record Doc(String tenant, String documentId, String title, String state, long active,
      long latest, long revision) {}

  public record Ver(String tenant, String documentId, long version, String state,
      String sha256) {}

  public record Idem(String tenant, String key, String operation, long status, String body,
      String resourceId) {}

  /** An outbox row; {@code occurredAt} is its write's commit timestamp. */
  public record Outbox(String tenant, String eventId, String type, String documentId,
      Long version, String requestId, Instant occurredAt, boolean pending) {
    /** The UTC day the write is counted under. */
    public String day() {
      return occurredAt.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
  }

  /** One counter: (tenant, day, operation) = count. */
  public record Usage(String tenant, String day, String operation, long count) {}

  /** What getVersionContent answered for a version at the end: status and the body's sha256. */
  public record Served(String tenant, String documentId, long version, int status,
      String sha256) {}

  public final List<Doc> documents = new ArrayList<>();
  public final List<Ver> versions = new ArrayList<>();
  public final List<Idem> idempotency = new ArrayList<>();
  public final List<Outbox> outbox = new ArrayList<>();
  /** The daily usage counts, read directly: the counter shards summed per day and operation. */
  public final List<Usage> usage = new ArrayList<>();
  /** What getUsage answered, per tenant, over HTTP. */
  public final List<Usage> apiUsage = new ArrayList<>();
  /**
   * What getVersionContent answered, over HTTP, for every live version at the end of a run that
   * reads them back (after the nemesis's restarts); empty when the run does not.
   */
  public final List<Served> served = new ArrayList<>();
  /** PurgedDocuments rows, as {@code tenant/documentId}: purges whose objects may remain. */
  public final List<String> tombstones = new ArrayList<>();
  /**
   * Every object name in the bucket, for a run that purges (filled by the test, which holds the
   * storage; empty otherwise): a purged document's prefix must end empty.
   */
  public final List<String> objects = new ArrayList<>();
  /** ProcessedEvents rows. */
  public final List<String> processedEvents = new ArrayList<>();
  /** The invariants of docs/CONTRACT.md as the {@link InvariantChecker} found them. */
  public final List<String> invariantViolations = new ArrayList<>();

  /**
   * Forgets {@code tenant}'s rows: for a tenant a test wrote to outside the recorded history (a
   * warm-up), so that the checker sees only what the history can explain.
   */
  public StoreState without(String tenant) {
    documents.removeIf(d -> d.tenant().equals(tenant));
    versions.removeIf(v -> v.tenant().equals(tenant));
    idempotency.removeIf(r -> r.tenant().equals(tenant));
    processedEvents.removeIf(event -> event.startsWith(tenant + "/"));
    tombstones.removeIf(doc -> doc.startsWith(tenant + "/"));
    objects.removeIf(name -> name.startsWith(tenant + "/"));
    outbox.removeIf(o -> o.tenant().equals(tenant));
    usage.removeIf(u -> u.tenant().equals(tenant));
    apiUsage.removeIf(u -> u.tenant().equals(tenant));
    return this;
  }

  /** Reads every table of the test database (single-use reads, a consistent snapshot each). */
  public static StoreState read(DatabaseClient db) {
    StoreState s = new StoreState();
    query(db, "SELECT TenantId, DocumentId, Title, State, ActiveVersion, LatestVersion, Revision"
        + " FROM Documents", rs -> s.documents.add(new Doc(rs.getString(0), rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6))));
    query(db, "SELECT TenantId, DocumentId, Version, State, ContentSha256 FROM DocumentVersions",
        rs -> s.versions.add(new Ver(rs.getString(0), rs.getString(1), rs.getLong(2),
            rs.getString(3), rs.getString(4))));
    query(db, "SELECT TenantId, IdempotencyKey, Operation, ResponseStatus, ResponseBody,"
        + " ResourceId FROM IdempotencyRecords", rs -> s.idempotency.add(new Idem(
            rs.getString(0), rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
            rs.isNull(5) ? null : rs.getString(5))));
    query(db, "SELECT TenantId, EventId, Type, DocumentId, Version, RequestId, OccurredAt,"
        + " Pending FROM AnalyticsOutbox", rs -> s.outbox.add(new Outbox(rs.getString(0),
            rs.getString(1), rs.getString(2), rs.getString(3),
            rs.isNull(4) ? null : rs.getLong(4), rs.getString(5),
            rs.getTimestamp(6).toSqlTimestamp().toInstant(),
            !rs.isNull(7) && rs.getBoolean(7))));
    // The sharded counters summed, plus the unsharded table they replaced (as getUsage reads).
    query(db, "SELECT TenantId, Day, Operation, SUM(Count) FROM (SELECT TenantId, Day,"
        + " Operation, Count FROM DailyApiUsageShards UNION ALL SELECT TenantId, Day, Operation,"
        + " Count FROM DailyApiUsage) GROUP BY TenantId, Day, Operation",
        rs -> s.usage.add(new Usage(rs.getString(0), rs.getDate(1).toString(), rs.getString(2),
            rs.getLong(3))));
    query(db, "SELECT TenantId, DocumentId FROM PurgedDocuments",
        rs -> s.tombstones.add(rs.getString(0) + "/" + rs.getString(1)));
    query(db, "SELECT TenantId, EventId FROM ProcessedEvents",
        rs -> s.processedEvents.add(rs.getString(0) + "/" + rs.getString(1)));
    return s;
  }

  private interface Row {
    void accept(ResultSet rs);
  }

  private static void query(DatabaseClient db, String sql, Row row) {
    try (ResultSet rs = db.singleUse().executeQuery(Statement.of(sql))) {
      while (rs.next()) {
        row.accept(rs);
      }
    }
  }
}

package dev.docstore.store;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The analytics outbox. A write buffers its row in its own transaction, so a rolled-back write
 * leaves no row and therefore no event. {@code Pending} is TRUE until the event is published and
 * NULL once the relay has settled it (found it counted, or published it itself), so the
 * NULL_FILTERED index AnalyticsOutboxPendingByShard holds only what the relay still has to look at.
 */
public final class OutboxStore {
  static final String TABLE = "AnalyticsOutbox";
  private static final String PROCESSED_EVENTS = "ProcessedEvents";
  private static final String PENDING_INDEX = "AnalyticsOutboxPendingByShard";

  private final DatabaseClient db;

  public OutboxStore(DatabaseClient db) {
    this.db = db;
  }

  /** OccurredAt is the commit timestamp of the write that buffers the row. */
  public static Mutation insert(String tenantId, AnalyticsEvent event) {
    return Mutation.newInsertBuilder(TABLE)
        .set("TenantId").to(tenantId)
        .set("EventId").to(event.eventId())
        .set("Type").to(event.type())
        .set("DocumentId").to(event.documentId())
        .set("Version").to(event.version())
        .set("RequestId").to(event.requestId())
        .set("OccurredAt").to(Value.COMMIT_TIMESTAMP)
        .set("Pending").to(true)
        .build();
  }

  /** One blind write: the row's key names the tenant. */
  public void markPublished(String tenantId, String eventId) {
    db.writeAtLeastOnce(List.of(settled(tenantId, eventId)));
  }

  /** Takes the row out of the pending index: its event is out, and counted or about to be. */
  static Mutation settled(String tenantId, String eventId) {
    return Mutation.newUpdateBuilder(TABLE)
        .set("TenantId").to(tenantId)
        .set("EventId").to(eventId)
        .set("Pending").to((Boolean) null)
        .set("PublishedAt").to(Value.COMMIT_TIMESTAMP)
        .build();
  }

  /** Whether {@code pending} (a row read with its Pending column) still waits to be settled. */
  static boolean stillPending(Struct pending) {
    return pending != null && !pending.isNull("Pending");
  }

  /**
   * The events among {@code events} that the subscriber has counted: those with a
   * ProcessedEvents row (same database, keyed like the outbox by tenant and event id). One read
   * of all their keys.
   */
  public List<AnalyticsEvent> counted(List<AnalyticsEvent> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    KeySet.Builder keys = KeySet.newBuilder();
    events.forEach(e -> keys.addKey(Key.of(e.tenantId(), e.eventId())));
    Set<Key> found = new HashSet<>();
    try (ResultSet rs = db.singleUse().read(PROCESSED_EVENTS, keys.build(),
        List.of("TenantId", "EventId"))) {
      while (rs.next()) {
        found.add(Key.of(rs.getString("TenantId"), rs.getString("EventId")));
      }
    }
    return events.stream()
        .filter(e -> found.contains(Key.of(e.tenantId(), e.eventId())))
        .toList();
  }

  /**
   * Unpublished events older than {@code before}, oldest first, at most {@code limit}. The relay
   * is the one reader that spans tenants: it serves every tenant's outbox, and each row it
   * returns carries its tenant. The pending index leads with a shard (so that inserts do not
   * all land at its newest end): this reads the head of each shard and merges them.
   */
  public List<AnalyticsEvent> pendingBefore(Timestamp before, int limit) {
    return Shards.firstAcross(shard -> pendingBefore(shard, before, limit),
        Comparator.comparing(AnalyticsEvent::occurredAt), limit);
  }

  /** One shard's unpublished events older than {@code before}, oldest first. */
  private List<AnalyticsEvent> pendingBefore(int shard, Timestamp before, int limit) {
    // "Pending = TRUE" excludes exactly the NULLs the index filters out. The emulator cannot
    // prove that and refuses the null-filtered index without its own hint, which production
    // Spanner ignores.
    Statement statement = Statement.newBuilder(
            "SELECT TenantId, EventId, Type, DocumentId, Version, RequestId, OccurredAt"
                + " FROM AnalyticsOutbox@{FORCE_INDEX=" + PENDING_INDEX + ","
                + " spanner_emulator.disable_query_null_filtered_index_check=true}"
                + " WHERE Shard = @shard AND Pending = TRUE AND OccurredAt < @before"
                + " ORDER BY OccurredAt LIMIT @limit")
        .bind("shard").to(shard)
        .bind("before").to(before)
        .bind("limit").to(limit)
        .build();
    List<AnalyticsEvent> events = new ArrayList<>();
    try (ResultSet rs = db.singleUse().executeQuery(statement)) {
      while (rs.next()) {
        events.add(new AnalyticsEvent(
            rs.getString("EventId"),
            rs.getString("Type"),
            rs.getString("TenantId"),
            rs.getString("DocumentId"),
            rs.isNull("Version") ? null : rs.getLong("Version"),
            rs.getString("RequestId"),
            rs.getTimestamp("OccurredAt")));
      }
    }
    return events;
  }
}

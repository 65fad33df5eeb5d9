package dev.docstore.store;

import com.google.cloud.Date;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.Value;
import dev.docstore.api.Operation;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The tenants' daily counts per operation, and ProcessedEvents, the event ids already counted:
 * together they make counting exactly once per eventId.
 *
 * <p>The counts are sharded counters in DailyApiUsageShards: an event increments the row of its
 * own shard, so the events of one tenant, day and operation spread over {@link Shards#COUNT}
 * rows instead of contending for one. A read sums the shards, and adds DailyApiUsage, the one
 * row per day and operation that held the counts before the shards and is no longer written.
 */
public final class UsageStore {
  private static final String SHARDED = "DailyApiUsageShards";

  private final DatabaseClient db;

  public UsageStore(DatabaseClient db) {
    this.db = db;
  }

  public record DailyCount(Date day, String operation, long count) {}

  public List<DailyCount> usage(String tenantId, Date from, Date to) {
    Statement statement = Statement.newBuilder(
            "SELECT Day, Operation, SUM(Count) AS Count FROM ("
                + "SELECT Day, Operation, Count FROM DailyApiUsageShards"
                + " WHERE TenantId = @tenantId AND Day >= @from AND Day <= @to"
                + " UNION ALL SELECT Day, Operation, Count FROM DailyApiUsage"
                + " WHERE TenantId = @tenantId AND Day >= @from AND Day <= @to)"
                + " GROUP BY Day, Operation ORDER BY Day, Operation")
        .bind("tenantId").to(tenantId)
        .bind("from").to(from)
        .bind("to").to(to)
        .build();
    List<DailyCount> days = new ArrayList<>();
    try (ResultSet rs = db.singleUse().executeQuery(statement)) {
      while (rs.next()) {
        days.add(new DailyCount(rs.getDate("Day"), rs.getString("Operation"),
            rs.getLong("Count")));
      }
    }
    return days;
  }

  /**
   * Counts the event under {@code operation} on its UTC day, unless its id was counted before:
   * one transaction records the id, increments the counter of the event's shard and settles the
   * event's outbox row. True if counted now.
   */
  public boolean countOnce(AnalyticsEvent event, String operation) {
    String tenantId = event.tenantId();
    LocalDate utcDay = event.occurredAt().toSqlTimestamp().toInstant()
        .atZone(ZoneOffset.UTC).toLocalDate();
    Date day = Date.fromYearMonthDay(utcDay.getYear(), utcDay.getMonthValue(),
        utcDay.getDayOfMonth());
    long shard = Shards.of(event.eventId());
    Key counter = Key.of(tenantId, day, operation, shard);
    Boolean counted = BoundedTransaction.run(db, Operation.ANALYTICS_SUBSCRIBER.functionName(),
        (tx, attempt) -> {
      // Race window: two deliveries of one event read "absent" together; Spanner aborts one,
      // and its retry reads the other's ProcessedEvents row and stops here.
      if (tx.readRow("ProcessedEvents", Key.of(tenantId, event.eventId()),
          List.of("EventId")) != null) {
        return false;
      }
      Struct row = tx.readRow(SHARDED, counter, List.of("Count"));
      long count = row == null ? 0 : row.getLong("Count");
      // The count settles the event's outbox row in the same transaction, so no write and no
      // relay run has to mark it: a row leaves the pending index exactly when its event is
      // counted. A row already settled (by the relay) or gone (past its deletion policy, for a
      // very late redelivery) is left alone; an update of a missing row would fail the commit.
      Key outboxRow = Key.of(tenantId, event.eventId());
      if (OutboxStore.stillPending(tx.readRow(OutboxStore.TABLE, outboxRow,
          List.of("Pending")))) {
        tx.buffer(OutboxStore.settled(tenantId, event.eventId()));
      }
      tx.buffer(List.of(
          Mutation.newInsertBuilder("ProcessedEvents")
              .set("TenantId").to(tenantId)
              .set("EventId").to(event.eventId())
              .set("ProcessedAt").to(Value.COMMIT_TIMESTAMP)
              .build(),
          Mutation.newInsertOrUpdateBuilder(SHARDED)
              .set("TenantId").to(tenantId)
              .set("Day").to(day)
              .set("Operation").to(operation)
              .set("Shard").to(shard)
              .set("Count").to(count + 1)
              .set("UpdatedAt").to(Value.COMMIT_TIMESTAMP)
              .build()));
      return true;
    }).result();
    return Boolean.TRUE.equals(counted);
  }
}

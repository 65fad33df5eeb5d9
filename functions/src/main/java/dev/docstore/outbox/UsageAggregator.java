package dev.docstore.outbox;

import com.google.cloud.Date;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.Value;
import dev.docstore.write.WriteOperation;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Folds analytics events into DailyApiUsage, exactly once per eventId: one transaction records
 * the event id and increments the counter, so a redelivered event finds its id and does nothing.
 */
public final class UsageAggregator {
  private final DatabaseClient db;

  public UsageAggregator(DatabaseClient db) {
    this.db = db;
  }

  /** True if the event was counted now, false if it had been counted before. */
  public boolean count(AnalyticsEvent event) {
    String tenantId = event.tenantId();
    String operation = WriteOperation.forEventType(event.type()).functionName();
    java.time.LocalDate utcDay = event.occurredAt().toSqlTimestamp().toInstant()
        .atZone(ZoneOffset.UTC).toLocalDate();
    Date day = Date.fromYearMonthDay(utcDay.getYear(), utcDay.getMonthValue(),
        utcDay.getDayOfMonth());
    Key counter = Key.of(tenantId, day, operation);
    Boolean counted = db.readWriteTransaction().run(tx -> {
      // Race window: two deliveries of one event read "absent" together; Spanner aborts one,
      // and its retry reads the other's ProcessedEvents row and stops here.
      if (tx.readRow("ProcessedEvents", Key.of(tenantId, event.eventId()),
          List.of("EventId")) != null) {
        return false;
      }
      Struct row = tx.readRow("DailyApiUsage", counter, List.of("Count"));
      long count = row == null ? 0 : row.getLong("Count");
      tx.buffer(List.of(
          Mutation.newInsertBuilder("ProcessedEvents")
              .set("TenantId").to(tenantId)
              .set("EventId").to(event.eventId())
              .set("ProcessedAt").to(Value.COMMIT_TIMESTAMP)
              .build(),
          Mutation.newInsertOrUpdateBuilder("DailyApiUsage")
              .set("TenantId").to(tenantId)
              .set("Day").to(day)
              .set("Operation").to(operation)
              .set("Count").to(count + 1)
              .set("UpdatedAt").to(Value.COMMIT_TIMESTAMP)
              .build()));
      return true;
    });
    return Boolean.TRUE.equals(counted);
  }
}

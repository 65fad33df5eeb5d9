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
 * DailyApiUsage, the tenants' daily counts per operation, and ProcessedEvents, the event ids
 * already counted: together they make counting exactly once per eventId.
 */
public final class UsageStore {
  private final DatabaseClient db;

  public UsageStore(DatabaseClient db) {
    this.db = db;
  }

  public record DailyCount(Date day, String operation, long count) {}

  public List<DailyCount> usage(String tenantId, Date from, Date to) {
    Statement statement = Statement.newBuilder(
            "SELECT Day, Operation, Count FROM DailyApiUsage WHERE TenantId = @tenantId"
                + " AND Day >= @from AND Day <= @to ORDER BY Day, Operation")
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
   * one transaction records the id and increments the counter. True if counted now.
   */
  public boolean countOnce(AnalyticsEvent event, String operation) {
    String tenantId = event.tenantId();
    LocalDate utcDay = event.occurredAt().toSqlTimestamp().toInstant()
        .atZone(ZoneOffset.UTC).toLocalDate();
    Date day = Date.fromYearMonthDay(utcDay.getYear(), utcDay.getMonthValue(),
        utcDay.getDayOfMonth());
    Key counter = Key.of(tenantId, day, operation);
    Boolean counted = BoundedTransaction.run(db, Operation.ANALYTICS_SUBSCRIBER.functionName(),
        (tx, attempt) -> {
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
    }).result();
    return Boolean.TRUE.equals(counted);
  }
}

package dev.docstore.outbox;

import com.google.cloud.Date;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads a tenant's daily API usage. */
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
}

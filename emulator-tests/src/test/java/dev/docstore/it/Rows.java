package dev.docstore.it;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;

/** Direct reads of the test database, to check what was (not) stored. */
public final class Rows {
  public static final String[] TABLES = {"Documents", "DocumentVersions", "IdempotencyRecords",
      "AnalyticsOutbox", "DailyApiUsage", "DailyApiUsageShards", "ProcessedEvents"};
  private final DatabaseClient db;

  Rows(DatabaseClient db) {
    this.db = db;
  }

  public long count(String table, String tenant) {
    return queryLong("SELECT COUNT(*) FROM " + table + " WHERE TenantId = @t", tenant);
  }

  /** Rows of the table, every tenant's. */
  public long count(String table) {
    try (ResultSet rs = db.singleUse().executeQuery(
        Statement.of("SELECT COUNT(*) FROM " + table))) {
      rs.next();
      return rs.getLong(0);
    }
  }

  /** Rows of every table for a tenant, e.g. {@code Documents=1 DocumentVersions=1 ...}. */
  public String census(String tenant) {
    StringBuilder out = new StringBuilder();
    for (String table : TABLES) {
      out.append(table).append('=').append(count(table, tenant)).append(' ');
    }
    return out.toString().trim();
  }

  public long queryLong(String sql, String tenant) {
    try (ResultSet rs = db.singleUse().executeQuery(
        Statement.newBuilder(sql).bind("t").to(tenant).build())) {
      rs.next();
      return rs.getLong(0);
    }
  }

  public DatabaseClient client() {
    return db;
  }
}

package dev.docstore.store;

import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.TransactionContext;
import com.google.cloud.spanner.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A write transaction's first statement: its {@link Subquery}s fused into
 * {@code SELECT ARRAY(...) AS idempotency, ARRAY(...) AS document, ...}, so the inline begin and
 * every read the write needs cost one round trip. Its tenant guard: every part must bind
 * {@code @tenantId} to the caller's tenant, or the statement is refused before it is sent.
 */
public final class FusedRead {
  private FusedRead() {}

  /** The one row of the fused statement: a struct array per part, under the part's alias. */
  public static Struct read(TransactionContext tx, String tenantId, List<Subquery> parts) {
    StringBuilder sql = new StringBuilder("SELECT ");
    Map<String, Value> params = new HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      Subquery part = parts.get(i);
      if (!Value.string(tenantId).equals(part.params().get("tenantId"))) {
        throw new IllegalStateException("a subquery is not scoped to the caller's tenant");
      }
      sql.append(i == 0 ? "" : ", ").append(part.sql()).append(" AS ").append(part.alias());
      part.params().forEach((name, value) -> {
        Value previous = params.putIfAbsent(name, value);
        if (previous != null && !previous.equals(value)) {
          throw new IllegalStateException("subqueries disagree on @" + name);
        }
      });
    }
    Statement.Builder statement = Statement.newBuilder(sql.toString());
    params.forEach((name, value) -> statement.bind(name).to(value));
    try (ResultSet rs = tx.executeQuery(statement.build())) {
      rs.next();
      return rs.getCurrentRowAsStruct();
    }
  }
}

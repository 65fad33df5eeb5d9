package dev.docstore.store;

import com.google.cloud.spanner.Value;
import java.util.Map;

/**
 * One part of a write transaction's first statement: {@code ARRAY(SELECT AS STRUCT ...) AS alias}.
 * The write shape fuses the parts with the idempotency lookup into a single query, so the
 * transaction's inline begin and every read it needs cost one round trip. Every part's SQL names
 * {@code @tenantId}; the write shape binds it from the verified caller.
 */
public record Subquery(String alias, String sql, Map<String, Value> params) {}

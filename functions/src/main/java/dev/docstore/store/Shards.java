package dev.docstore.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The shard prefix that keeps a write-heavy key from growing at one end. An index whose first
 * key column is a timestamp (or a flag followed by one) puts every new row on the same split,
 * which one server has to absorb. Leading it with a shard derived from a random id spreads the
 * inserts over {@link #COUNT} ranges; a reader that wants "oldest first" reads each range's head
 * and merges them.
 *
 * <p>{@link #COUNT} must equal the modulus of the generated shard columns in schema.sql
 * (SchemaHotSpotTest checks it).
 */
public final class Shards {
  /** Enough to spread 10,000 writes/s well under one split's share; few enough to scan. */
  public static final int COUNT = 16;

  private Shards() {}

  /** The shard of a counter row an event increments: fixed per event id. */
  static long of(String id) {
    return Math.floorMod(id.hashCode(), COUNT);
  }

  /**
   * The first {@code limit} rows in {@code order} across every shard, given each shard's own
   * first {@code limit} rows in that order: reading each head is enough, since the global first
   * {@code limit} can hold at most {@code limit} rows of any one shard.
   */
  static <T> List<T> firstAcross(IntFunction<List<T>> headOfShard, Comparator<T> order,
      int limit) {
    List<T> all = new ArrayList<>();
    for (int shard = 0; shard < COUNT; shard++) {
      all.addAll(headOfShard.apply(shard));
    }
    all.sort(order);
    return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
  }
}

package dev.docstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reading the head of every shard and merging them gives the global head. */
class ShardsTest {
  @Test
  void theMergedHeadsOfTheShardsAreTheGlobalHead() {
    Random random = new Random(16);
    List<List<Integer>> shards = new ArrayList<>();
    List<Integer> all = new ArrayList<>();
    for (int shard = 0; shard < Shards.COUNT; shard++) {
      // Skewed on purpose: shard 3 holds most of the oldest rows.
      boolean skewed = shard == 3;
      List<Integer> rows = IntStream.range(0, skewed ? 50 : random.nextInt(8))
          .mapToObj(i -> skewed ? i : 20 + random.nextInt(1000)).sorted().toList();
      shards.add(rows);
      all.addAll(rows);
    }
    all.sort(Comparator.naturalOrder());
    int limit = 30;
    List<Integer> read = new ArrayList<>();
    List<Integer> head = Shards.firstAcross(shard -> {
      read.add(shard);
      List<Integer> rows = shards.get(shard);
      return rows.subList(0, Math.min(limit, rows.size()));
    }, Comparator.<Integer>naturalOrder(), limit);
    assertEquals(all.subList(0, limit), head);
    assertEquals(IntStream.range(0, Shards.COUNT).boxed().toList(), read, "every shard read");
  }

  @Test
  void fewerRowsThanTheLimitAreAllReturned() {
    List<Integer> head = Shards.firstAcross(
        shard -> shard % 5 == 0 ? List.<Integer>of(shard) : List.<Integer>of(),
        Comparator.<Integer>reverseOrder(), 100);
    assertEquals(List.of(15, 10, 5, 0), head);
  }

  @Test
  void anEventKeepsItsCounterShard() {
    for (String id : List.of("a", "3f1c0e55-8d9e-4c67-9b1f-0e3c2a1d9f00", "")) {
      long shard = Shards.of(id);
      assertEquals(shard, Shards.of(new String(id.toCharArray())));
      assertTrue(shard >= 0 && shard < Shards.COUNT, id + " → " + shard);
    }
  }
}

package dev.docstore.store;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.KeyRange;
import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Options;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What purgeTrash reads and writes beside the documents: the expired head of the trash, and the
 * tombstones (PurgedDocuments) of purged documents whose objects may still be in Cloud Storage.
 *
 * <p>purgeTrash is a background function with no tenant: its two scans span tenants on purpose
 * (StoreTenantScopeTest allowlists them), and they yield keys only. Everything done with a key
 * afterwards, the purge transaction and the tombstone's removal, names its tenant.
 */
public final class TrashStore {
  static final String TOMBSTONES = "PurgedDocuments";
  private static final String TRASH_INDEX = "DocumentsByTrashShardAndTrashedAt";

  private final DatabaseClient db;

  public TrashStore(DatabaseClient db) {
    this.db = db;
  }

  /** A document, by its full key: its tenant and its id. */
  public record DocumentKey(String tenantId, String documentId) {}

  /**
   * The documents trashed at or before {@code cutoff}, oldest first, at most {@code limit}. The
   * trash index holds the trash alone (only a trashed document has a TrashedAt) and leads with
   * a shard, so that trashing does not write at one end of it: this reads the head of each
   * shard and merges them.
   */
  public List<DocumentKey> trashedUpTo(Timestamp cutoff, int limit) {
    return Shards.firstAcross(shard -> trashedUpTo(shard, cutoff, limit),
        Comparator.comparing(Trashed::trashedAt), limit).stream().map(Trashed::key).toList();
  }

  private record Trashed(DocumentKey key, Timestamp trashedAt) {}

  /**
   * One shard's expired trash, oldest first: a key range of the read API, which seeks to the
   * head of the shard and stops at the cutoff, so its cost follows the expired trash it
   * returns, not the young trash behind it. (A SQL query scans the whole table on the emulator;
   * a key range seeks on both.)
   */
  private List<Trashed> trashedUpTo(long shard, Timestamp cutoff, int limit) {
    KeySet expired = KeySet.range(KeyRange.closedClosed(Key.of(shard), Key.of(shard, cutoff)));
    List<Trashed> trashed = new ArrayList<>();
    try (ResultSet rs = db.singleUse().readUsingIndex(DocumentStore.DOCUMENTS, TRASH_INDEX,
        expired, List.of("TenantId", "DocumentId", "TrashedAt"), Options.limit(limit))) {
      while (rs.next()) {
        trashed.add(new Trashed(
            new DocumentKey(rs.getString("TenantId"), rs.getString("DocumentId")),
            rs.getTimestamp("TrashedAt")));
      }
    }
    return trashed;
  }

  /**
   * Tombstones, in key order, at most {@code limit}: purged documents whose objects a crash may
   * have left. The table holds only those, so reading its head is reading all the work left.
   */
  public List<DocumentKey> tombstones(int limit) {
    List<DocumentKey> keys = new ArrayList<>();
    try (ResultSet rs = db.singleUse().read(TOMBSTONES, KeySet.all(),
        List.of("TenantId", "DocumentId"), Options.limit(limit))) {
      while (rs.next()) {
        keys.add(new DocumentKey(rs.getString("TenantId"), rs.getString("DocumentId")));
      }
    }
    return keys;
  }

  /** Buffered in the purge transaction, beside the delete of the document's row. */
  public static Mutation insertTombstone(String tenantId, String documentId) {
    return Mutation.newInsertBuilder(TOMBSTONES)
        .set("TenantId").to(tenantId)
        .set("DocumentId").to(documentId)
        .set("PurgedAt").to(Value.COMMIT_TIMESTAMP)
        .build();
  }

  /** Once every object under the document's prefix is deleted. One blind write, keyed. */
  public void deleteTombstone(String tenantId, String documentId) {
    db.writeAtLeastOnce(List.of(Mutation.delete(TOMBSTONES, Key.of(tenantId, documentId))));
  }
}

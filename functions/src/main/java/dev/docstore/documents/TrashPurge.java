package dev.docstore.documents;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Struct;
import dev.docstore.api.Caller;
import dev.docstore.api.Condition;
import dev.docstore.api.DocstoreException;
import dev.docstore.api.DocumentStateConflict;
import dev.docstore.api.Operation;
import dev.docstore.api.Outcome;
import dev.docstore.api.Step;
import dev.docstore.logging.LogFields;
import dev.docstore.logging.WriteLog;
import dev.docstore.store.ContentStore;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentRow.DocumentState;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.TrashStore;
import dev.docstore.store.TrashStore.DocumentKey;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteRequest;
import dev.docstore.write.WriteResult;
import dev.docstore.write.WriteShape;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * purgeTrash: removes for good the documents trashed longer than TRASH_RETENTION. One run:
 *
 * <ol>
 *   <li>finishes what earlier runs left: for each tombstone (PurgedDocuments), deletes every
 *       object under the document's prefix, then the tombstone;
 *   <li>purges the expired trash, read oldest first from the trash index, each document in one
 *       write through the one {@link WriteShape}: in its transaction it re-checks that the
 *       document is still trashed and expired, then deletes its row (its versions by cascade)
 *       and buffers a tombstone and the {@code document.purged} event; after the commit it
 *       deletes the objects, then the tombstone, with the very steps of (1).
 * </ol>
 *
 * A crash anywhere leaves either the whole document (still trashed: the next run purges it) or
 * no row but its tombstone (the next run deletes what objects are left): never half a document,
 * never an object that no row leads to. Both scans are bounded batches, and a run stops taking
 * batches after its budget; the next run takes over where it stopped.
 */
public final class TrashPurge {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.purge");
  /** The user the purge's writes and log lines name: it acts for no person. */
  public static final String SYSTEM_USER = "purgeTrash";
  public static final int BATCH_SIZE = 100;

  private final WriteShape shape;
  private final TrashStore trash;
  private final ContentStore content;
  private final Clock clock;
  private final Duration retention;
  private final Duration runBudget;

  /**
   * @param runBudget how long a run takes new batches; the composition root gives it half the
   *     request deadline, leaving the other half for the batch in flight
   */
  public TrashPurge(WriteShape shape, TrashStore trash, ContentStore content, Clock clock,
      Duration retention, Duration runBudget) {
    this.shape = shape;
    this.trash = trash;
    this.content = content;
    this.clock = clock;
    this.retention = retention;
    this.runBudget = runBudget;
  }

  /**
   * What one run did.
   *
   * @param purged documents this run removed
   * @param finished tombstones of earlier runs whose objects this run deleted
   * @param skipped expired-looking documents left alone: restored, trashed again or purged by a
   *     concurrent run since the scan read them
   */
  public record Result(int purged, int finished, int skipped) {}

  /**
   * One run, under the request id of the call that started it. A failure (Spanner or Storage
   * unavailable, a failpoint) ends the run there, as a crash would, and propagates: what it did
   * is committed, and the next run finishes the rest.
   */
  public Result run(String requestId) {
    long deadline = System.nanoTime() + runBudget.toNanos();
    Timestamp cutoff = timestamp(clock.instant().minus(retention));
    Counts counts = new Counts();
    try {
      finishEarlierRuns(deadline, counts);
      purgeExpired(requestId, cutoff, deadline, counts);
    } catch (RuntimeException e) {
      LOG.warn("PURGE run stopped; the next run continues", kv("purged", counts.purged),
          kv("finished", counts.finished), kv("skipped", counts.skipped),
          kv("reason", e.getClass().getSimpleName()));
      throw e;
    }
    LOG.info("PURGE run finished", kv("purged", counts.purged),
        kv("finished", counts.finished), kv("skipped", counts.skipped),
        kv("cutoff", cutoff.toString()));
    return new Result(counts.purged, counts.finished, counts.skipped);
  }

  private static final class Counts {
    int purged;
    int finished;
    int skipped;
  }

  private void finishEarlierRuns(long deadline, Counts counts) {
    Set<DocumentKey> done = new HashSet<>();
    while (System.nanoTime() < deadline) {
      List<DocumentKey> batch = trash.tombstones(BATCH_SIZE);
      // Each tombstone read is deleted before the next read, so a batch of known keys can only
      // be another run's work racing ours: stop rather than spin.
      if (!done.addAll(batch)) {
        return;
      }
      for (DocumentKey key : batch) {
        asSystemUser(key, () -> {
          WriteLog log = new WriteLog(key.documentId());
          deleteObjects(key, log);
          deleteTombstone(key, log);
          return null;
        });
        counts.finished++;
      }
      if (batch.size() < BATCH_SIZE) {
        return;
      }
    }
  }

  private void purgeExpired(String requestId, Timestamp cutoff, long deadline, Counts counts) {
    Set<DocumentKey> seen = new HashSet<>();
    while (System.nanoTime() < deadline) {
      List<DocumentKey> batch = trash.trashedUpTo(cutoff, BATCH_SIZE);
      // Every candidate leaves the range once handled (purged, restored, or trashed again
      // later than the cutoff): a batch of known keys means nothing is left for this run.
      if (!seen.addAll(batch)) {
        return;
      }
      for (DocumentKey key : batch) {
        // Checked per document, not per batch: a hundred slow transactions would otherwise
        // outlast the half of the deadline kept for the one in flight. The rest of the batch
        // stays in the trash for the next run.
        if (System.nanoTime() >= deadline) {
          return;
        }
        if (asSystemUser(key, () -> purge(requestId, key, cutoff))) {
          counts.purged++;
        } else {
          counts.skipped++;
        }
      }
      if (batch.size() < BATCH_SIZE) {
        return;
      }
    }
  }

  /** One document, through the write shape: whether this write removed it. */
  private boolean purge(String requestId, DocumentKey key, Timestamp cutoff) {
    WriteRequest request = new WriteRequest(Operation.PURGE_TRASH,
        new Caller(key.tenantId(), SYSTEM_USER), requestId, Optional.empty(), Optional.empty(),
        Optional.empty());
    try {
      WriteResult result = shape.run(request, new PurgeFlow(request, key, cutoff));
      return !result.replayed();
    } catch (RuntimeException e) {
      if (raced(e)) {
        // Restored (409) or purged by a concurrent run (404) since the scan read it.
        return false;
      }
      throw e;
    }
  }

  /**
   * Whether the write was refused because the document left the trash since the scan. The
   * Spanner client wraps what the transaction threw, so the refusal may sit deeper in the chain.
   */
  private static boolean raced(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DocstoreException refused) {
        return refused.condition() == Condition.DOCUMENT_STATE
            || refused.condition() == Condition.NOT_FOUND;
      }
    }
    return false;
  }

  /** The purge of one document, decided in its transaction on the row as it is now. */
  private final class PurgeFlow extends ExistingDocumentFlow {
    private final DocumentKey key;
    private final Timestamp cutoff;

    PurgeFlow(WriteRequest request, DocumentKey key, Timestamp cutoff) {
      super(request, key.documentId());
      this.key = key;
      this.cutoff = cutoff;
    }

    @Override
    protected DocumentState requiredState() {
      return DocumentState.TRASHED;
    }

    @Override
    protected DocumentStateConflict wrongState() {
      return new DocumentStateConflict("the document is no longer in the trash");
    }

    @Override
    protected Change decide(DocumentRow document, Struct rows, TxContext tx) {
      if (document.trashedAt().compareTo(cutoff) > 0) {
        // Restored and trashed again since the scan: its retention starts over.
        return Change.nothing(Outcome.OK, answer(false));
      }
      return Change.of(Outcome.OK, answer(true),
              List.of(DocumentStore.deleteDocument(tenant, key.documentId()),
                  TrashStore.insertTombstone(tenant, key.documentId())), null)
          .thenAfterCommit(Step.AFTER_COMMIT_BEFORE_OBJECT_DELETE, log -> deleteObjects(key, log))
          .thenAfterCommit(Step.AFTER_OBJECT_DELETE, log -> deleteTombstone(key, log));
    }

    private ObjectNode answer(boolean purged) {
      return JsonNodeFactory.instance.objectNode()
          .put("documentId", key.documentId())
          .put("purged", purged);
    }
  }

  // ---- the two steps after a purge's commit, shared with the finishing of earlier runs ----

  private void deleteObjects(DocumentKey key, WriteLog log) {
    int deleted = content.deleteDocumentObjects(key.tenantId(), key.documentId());
    log.storage("deleteDocumentObjects", deleted + " deleted");
  }

  /** Only once every object is deleted: the tombstone is what leads a later run to them. */
  private void deleteTombstone(DocumentKey key, WriteLog log) {
    trash.deleteTombstone(key.tenantId(), key.documentId());
    log.storage("deleteTombstone", "deleted");
  }

  /** Runs {@code work} with the document's tenant and the system user in every log line. */
  private static <T> T asSystemUser(DocumentKey key, Supplier<T> work) {
    MDC.put(LogFields.TENANT_ID, key.tenantId());
    MDC.put(LogFields.USER_ID, SYSTEM_USER);
    try {
      return work.get();
    } finally {
      MDC.remove(LogFields.TENANT_ID);
      MDC.remove(LogFields.USER_ID);
      MDC.remove(LogFields.DOCUMENT_ID);
    }
  }

  private static Timestamp timestamp(Instant instant) {
    Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
    return Timestamp.ofTimeSecondsAndNanos(micros.getEpochSecond(), micros.getNano());
  }
}

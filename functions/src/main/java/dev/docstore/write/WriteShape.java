package dev.docstore.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.TransactionContext;
import dev.docstore.api.Operation;
import dev.docstore.api.Step;
import dev.docstore.failpoints.Failpoints;
import dev.docstore.failure.Failure;
import dev.docstore.idempotency.Idempotency;
import dev.docstore.logging.WriteLog;
import dev.docstore.outbox.OutboxDelivery;
import dev.docstore.outbox.OutboxDelivery.Delivery;
import dev.docstore.store.AnalyticsEvent;
import dev.docstore.store.BoundedTransaction;
import dev.docstore.store.FusedRead;
import dev.docstore.store.IdempotencyRecord;
import dev.docstore.store.IdempotencyStore;
import dev.docstore.store.OutboxStore;
import dev.docstore.store.Subquery;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one shape of every write (docs/CONTRACT.md, "Transaction shape of a write"):
 *
 * <ol>
 *   <li>for a keyed request whose pre-commit effects cost a call
 *       ({@link WriteFlow#replayCheckedBeforeEffects}), one single-use read of the key: a replay
 *       answers there, before any effect ({@link Idempotency#replayBeforeTransaction});
 *   <li>pre-commit effects ({@link WriteFlow#beforeTransaction}), outside the transaction;
 *   <li>one read-write transaction whose first statement reads the idempotency record together
 *       with the flow's rows (inline begin: one round trip), then decides replay, 409, 4xx or a
 *       change, and buffers the change, the idempotency record and the outbox row;
 *   <li>after the commit returned: publish the event with a bounded wait (no mark: the relay
 *       settles the row, {@link OutboxDelivery}), and run the flow's post-commit step;
 * </ol>
 *
 * with BEGIN, RETRY, COMMIT/ROLLBACK lines and the failpoints between the steps. Flows hold no
 * part of this machinery.
 */
public final class WriteShape {
  private final DatabaseClient db;
  private final Idempotency idempotency;
  private final OutboxDelivery delivery;
  private final Failpoints failpoints;
  private final ObjectMapper json;
  private final Clock clock;

  public WriteShape(DatabaseClient db, Idempotency idempotency, OutboxDelivery delivery,
      Failpoints failpoints, ObjectMapper json, Clock clock) {
    this.db = db;
    this.idempotency = idempotency;
    this.delivery = delivery;
    this.failpoints = failpoints;
    this.json = json;
    this.clock = clock;
  }

  public WriteResult run(WriteRequest request, WriteFlow flow) {
    Operation op = request.operation();
    WriteLog log = new WriteLog(flow.documentId());
    // The event id is fixed per request, not per attempt, so every attempt buffers the same row.
    String eventId = UUID.randomUUID().toString();

    log.begin();
    Attempt outcome;
    Timestamp commitTimestamp;
    try {
      Optional<WriteResult> early = replayBeforeEffects(request, flow, log);
      if (early.isPresent()) {
        return early.get();
      }
      flow.beforeTransaction(log);
      BoundedTransaction.Committed<Attempt> committed =
          BoundedTransaction.run(db, op.functionName(), (tx, attempt) -> {
            if (attempt > 1) {
              log.retry(attempt);
            }
            return attempt(tx, request, flow, eventId);
          });
      outcome = committed.result();
      commitTimestamp = committed.commitTimestamp();
    } catch (RuntimeException e) {
      Failure failure = Failure.of(e);
      log.rollback(failure.code());
      if (failure.nothingApplied()) {
        cleanUp(flow, log);
      }
      throw e;
    }

    if (outcome.replayed()) {
      outcome.resourceId().ifPresent(log::documentId);
      log.commit(commitTimestamp.toString(), "replay");
      cleanUp(flow, log);
      return new WriteResult(outcome.status(), outcome.body(), true);
    }
    log.commit(commitTimestamp.toString(), "committed");

    // ---- after commit: nothing here may undo or fail the committed write ----
    AnalyticsEvent event = outcome.event().at(commitTimestamp);
    if (failpoints.fires(op.failpoint(Step.AFTER_COMMIT_BEFORE_PUBLISH))) {
      log.publishSkipped(event.eventId(), "failpoint");
    } else {
      logDelivery(log, event, delivery.publish(event));
    }
    afterCommit(op, outcome.change(), log);
    return new WriteResult(outcome.status(), outcome.body(), false);
  }

  /**
   * A replay answered from a read of the key before the pre-commit effects, logged as a replay
   * of the transaction is (COMMIT, outcome replay, the read's timestamp in commitTimestamp); a
   * key reused with another body throws here as it would in the transaction.
   */
  private Optional<WriteResult> replayBeforeEffects(WriteRequest request, WriteFlow flow,
      WriteLog log) {
    if (request.idempotencyKey().isEmpty() || !flow.replayCheckedBeforeEffects()) {
      return Optional.empty();
    }
    IdempotencyStore.Found found =
        IdempotencyStore.readOnce(db, request.tenantId(), request.idempotencyKey().get());
    Optional<Idempotency.EarlyReplay> replay = idempotency.replayBeforeTransaction(found,
        request.operation(), request.fingerprint().orElseThrow(), clock.instant());
    return replay.map(early -> {
      IdempotencyRecord record = early.record();
      if (record.resourceId() != null) {
        log.documentId(record.resourceId());
      }
      log.commit(early.readTimestamp().toString(), "replay");
      return new WriteResult(record.responseStatus(), record.responseBody(), true);
    });
  }

  private Attempt attempt(TransactionContext tx, WriteRequest request, WriteFlow flow,
      String eventId) throws JsonProcessingException {
    Operation op = request.operation();
    String tenantId = request.tenantId();
    Optional<String> key = request.idempotencyKey();
    Timestamp now = timestamp(clock.instant().truncatedTo(ChronoUnit.MICROS));

    List<Subquery> reads = new ArrayList<>(flow.reads());
    key.ifPresent(k -> reads.add(0, idempotency.lookup(tenantId, k)));
    Struct rows = reads.isEmpty() ? null : FusedRead.read(tx, tenantId, reads);

    if (key.isPresent()) {
      Optional<IdempotencyRecord> replay =
          idempotency.replay(rows, op, request.fingerprint().orElseThrow(), now);
      if (replay.isPresent()) {
        IdempotencyRecord record = replay.get();
        return Attempt.replay(record.responseStatus(), record.responseBody(),
            record.resourceId());
      }
    }
    failpoints.hit(op.failpoint(Step.AFTER_IDEMPOTENCY_CHECK));

    Change change = flow.decide(rows, new TxContext(now, op, failpoints));
    int status = change.outcome().status();
    String body = json.writeValueAsString(change.body());
    if (change.dedupe()) {
      return Attempt.replay(status, body, null);
    }

    AnalyticsEvent event = new AnalyticsEvent(eventId, op.eventType(), tenantId,
        flow.documentId(), change.eventVersion(), request.requestId(), null);
    List<Mutation> mutations = new ArrayList<>(change.mutations());
    mutations.add(OutboxStore.insert(tenantId, event));
    key.ifPresent(k -> mutations.add(idempotency.record(tenantId, k, op,
        request.fingerprint().orElseThrow(), status, body, flow.documentId(), now)));
    failpoints.hit(op.failpoint(Step.BEFORE_COMMIT));
    tx.buffer(mutations);
    return new Attempt(status, body, false, event, change, Optional.empty());
  }

  private static void logDelivery(WriteLog log, AnalyticsEvent event, Delivery delivery) {
    if (delivery.published()) {
      log.published(event.eventId(), delivery.messageId());
    } else {
      log.publishFailed(event.eventId(), delivery.reason(), delivery.cause());
    }
  }

  private void afterCommit(Operation op, Change change, WriteLog log) {
    for (Change.AfterCommit step : change.afterCommit()) {
      Step guard = step.failpoint();
      if (guard != null && failpoints.fires(op.failpoint(guard))) {
        log.stepSkipped(guard.stepName());
        return;
      }
      try {
        step.effect().accept(log);
      } catch (RuntimeException e) {
        // What is left undone here is finished by a later run or harmless (Change.AfterCommit).
        log.storageFailed("afterCommit", Failure.of(e).code());
        return;
      }
    }
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.ofTimeSecondsAndNanos(instant.getEpochSecond(), instant.getNano());
  }

  private static void cleanUp(WriteFlow flow, WriteLog log) {
    try {
      flow.afterNoEffect(log);
    } catch (RuntimeException e) {
      log.storageFailed("cleanUp", Failure.of(e).code());
    }
  }

  private record Attempt(int status, String body, boolean replayed, AnalyticsEvent event,
      Change change, Optional<String> resourceId) {
    static Attempt replay(int status, String body, String resourceId) {
      return new Attempt(status, body, true, null, null, Optional.ofNullable(resourceId));
    }
  }
}

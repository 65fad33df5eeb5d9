package dev.docstore.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.SpannerException;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.TransactionContext;
import com.google.cloud.spanner.TransactionRunner;
import com.google.cloud.spanner.Value;
import dev.docstore.failpoints.FailpointException;
import dev.docstore.failpoints.Failpoints;
import dev.docstore.http.ApiException;
import dev.docstore.idempotency.IdempotencyKeyReused;
import dev.docstore.idempotency.IdempotencyRecord;
import dev.docstore.idempotency.IdempotencyStore;
import dev.docstore.logging.WriteLog;
import dev.docstore.outbox.AnalyticsEvent;
import dev.docstore.outbox.EventPublisher;
import dev.docstore.outbox.EventPublisher.PublishFailed;
import dev.docstore.outbox.OutboxStore;
import dev.docstore.store.Subquery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one shape of every write (DESIGN.md, "Transaction shape of every write"):
 *
 * <ol>
 *   <li>pre-commit effects ({@link WriteFlow#beforeTransaction}), outside the transaction;
 *   <li>one read-write transaction whose first statement reads the idempotency record together
 *       with the flow's rows (inline begin: one round trip), then decides replay, 409, 4xx or a
 *       change, and buffers the change, the idempotency record and the outbox row;
 *   <li>after the commit returned: publish the event with a bounded wait, mark it published, and
 *       run the flow's post-commit storage step;
 * </ol>
 *
 * with BEGIN, RETRY, COMMIT/ROLLBACK lines and the failpoints between the steps. Flows hold no
 * part of this machinery.
 */
public final class WriteShape {
  private final DatabaseClient db;
  private final OutboxStore outbox;
  private final EventPublisher publisher;
  private final Failpoints failpoints;
  private final ObjectMapper json;
  private final Clock clock;
  private final Duration idempotencyTtl;

  public WriteShape(DatabaseClient db, EventPublisher publisher, Failpoints failpoints,
      ObjectMapper json, Clock clock, Duration idempotencyTtl) {
    this.db = db;
    this.outbox = new OutboxStore(db);
    this.publisher = publisher;
    this.failpoints = failpoints;
    this.json = json;
    this.clock = clock;
    this.idempotencyTtl = idempotencyTtl;
  }

  public WriteResult run(WriteRequest request, WriteFlow flow) {
    WriteOperation op = request.operation();
    WriteLog log = new WriteLog(flow.documentId());
    // The event id is fixed per request, not per attempt, so every attempt buffers the same row.
    String eventId = UUID.randomUUID().toString();

    log.begin();
    Attempt outcome;
    TransactionRunner runner = db.readWriteTransaction();
    try {
      flow.beforeTransaction(log);
      AtomicInteger attempts = new AtomicInteger();
      outcome = runner.run(tx -> {
        int attempt = attempts.incrementAndGet();
        if (attempt > 1) {
          log.retry(attempt);
        }
        return attempt(tx, request, flow, eventId);
      });
    } catch (RuntimeException e) {
      RuntimeException mapped = rollback(log, e);
      if (mapped instanceof ApiException || mapped instanceof FailpointException) {
        cleanUp(flow, log);
      }
      throw mapped;
    }

    Timestamp commitTimestamp = runner.getCommitTimestamp();
    if (outcome.replayed()) {
      outcome.resourceId().ifPresent(log::documentId);
      log.commit(commitTimestamp.toString(), "replay");
      cleanUp(flow, log);
      return new WriteResult(outcome.status(), outcome.body(), true);
    }
    log.commit(commitTimestamp.toString(), "committed");

    // ---- after commit: nothing here may undo or fail the committed write ----
    AnalyticsEvent event = outcome.event().at(commitTimestamp);
    if (failpoints.fires(op.point(WriteOperation.AFTER_COMMIT_BEFORE_PUBLISH))) {
      log.publishSkipped(event.eventId(), "failpoint");
    } else {
      publishAndMark(log, event);
    }
    try {
      outcome.change().afterCommit().accept(log);
    } catch (RuntimeException e) {
      log.storageFailed("afterCommit", e.getClass().getSimpleName());
    }
    return new WriteResult(outcome.status(), outcome.body(), false);
  }

  private Attempt attempt(TransactionContext tx, WriteRequest request, WriteFlow flow,
      String eventId) throws JsonProcessingException {
    WriteOperation op = request.operation();
    String tenantId = request.caller().tenantId();
    Instant instant = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Timestamp now = timestamp(instant);

    List<Subquery> reads = new ArrayList<>(flow.reads());
    request.idempotencyKey().ifPresent(k -> reads.add(0, IdempotencyStore.lookup(tenantId, k)));
    Struct rows = reads.isEmpty() ? null : readFused(tx, tenantId, reads);

    if (request.idempotencyKey().isPresent()) {
      Optional<IdempotencyRecord> record = IdempotencyStore.record(rows);
      // An expired record is absent: the row deletion policy removes it lazily (the emulator
      // never does), and the put below overwrites it in this same transaction.
      if (record.isPresent() && !record.get().expiredAt(now)) {
        if (!record.get().matches(op.functionName(), request.fingerprint())) {
          throw new IdempotencyKeyReused();
        }
        // Race window: two requests with one key both reach this read. Spanner serialises
        // them: the loser aborts, is retried, reads the winner's record here and replays it.
        return Attempt.replay(record.get().responseStatus(), record.get().responseBody(),
            record.get().resourceId());
      }
    }
    failpoints.hit(op.point(WriteOperation.AFTER_IDEMPOTENCY_CHECK));

    Change change = flow.decide(rows, new TxContext(now, op, failpoints));
    String body = json.writeValueAsString(change.body());
    if (change.dedupe()) {
      return Attempt.replay(change.status(), body, null);
    }

    AnalyticsEvent event = new AnalyticsEvent(eventId, op.eventType(), tenantId,
        flow.documentId(), change.eventVersion(), request.requestId(), null);
    List<Mutation> mutations = new ArrayList<>(change.mutations());
    mutations.add(OutboxStore.insert(tenantId, event));
    if (request.idempotencyKey().isPresent()) {
      mutations.add(IdempotencyStore.put(tenantId, request.idempotencyKey().get(),
          op.functionName(), request.fingerprint(), change.status(), body, flow.documentId(),
          timestamp(instant.plus(idempotencyTtl))));
    }
    failpoints.hit(op.point(WriteOperation.BEFORE_COMMIT));
    tx.buffer(mutations);
    return new Attempt(change.status(), body, false, event, change);
  }

  /** The first statement: {@code SELECT ARRAY(...) AS idempotency, ARRAY(...) AS document...}. */
  private static Struct readFused(TransactionContext tx, String tenantId, List<Subquery> parts) {
    StringBuilder sql = new StringBuilder("SELECT ");
    Map<String, Value> params = new HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      Subquery part = parts.get(i);
      if (!part.params().get("tenantId").equals(Value.string(tenantId))) {
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

  private void publishAndMark(WriteLog log, AnalyticsEvent event) {
    String messageId;
    try {
      messageId = publisher.publish(event);
    } catch (PublishFailed e) {
      log.publishFailed(event.eventId(), e.reason(), e.getCause());
      return;
    }
    log.published(event.eventId(), messageId);
    try {
      outbox.markPublished(event.tenantId(), event.eventId());
    } catch (SpannerException e) {
      // The event is out; the relay may publish it again and the subscriber dedupes it.
      log.publishFailed(event.eventId(), "mark_published_" + e.getErrorCode().name(), null);
    }
  }

  /** Logs ROLLBACK with a short code and returns the exception the endpoint should map. */
  private static RuntimeException rollback(WriteLog log, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiException api) {
        log.rollback(api.code().code());
        return api;
      }
      if (t instanceof FailpointException fp) {
        log.rollback("failpoint");
        return fp;
      }
    }
    if (e instanceof SpannerException se) {
      log.rollback("spanner_" + se.getErrorCode().name().toLowerCase());
    } else {
      log.rollback(e.getClass().getSimpleName());
    }
    return e;
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.ofTimeSecondsAndNanos(instant.getEpochSecond(), instant.getNano());
  }

  private static void cleanUp(WriteFlow flow, WriteLog log) {
    try {
      flow.afterNoEffect(log);
    } catch (RuntimeException e) {
      log.storageFailed("cleanUp", e.getClass().getSimpleName());
    }
  }

  private record Attempt(int status, String body, boolean replayed, AnalyticsEvent event,
      Change change, Optional<String> resourceId) {
    Attempt(int status, String body, boolean replayed, AnalyticsEvent event, Change change) {
      this(status, body, replayed, event, change, Optional.empty());
    }

    static Attempt replay(int status, String body, String resourceId) {
      return new Attempt(status, body, true, null, null, Optional.ofNullable(resourceId));
    }
  }
}

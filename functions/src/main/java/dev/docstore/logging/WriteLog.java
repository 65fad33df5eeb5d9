package dev.docstore.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The transaction-boundary lines of one write: BEGIN, RETRY per aborted attempt, exactly one
 * COMMIT or ROLLBACK, then the publish result and the post-commit storage step. requestId,
 * tenantId, userId and operation come from the MDC; documentId, attempt and durationMs are added
 * here. Only ids, counts, codes and timestamps are ever passed in: never titles, content, tokens.
 */
public final class WriteLog {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.write");

  private final long startNanos = System.nanoTime();
  private volatile int attempt = 1;

  public WriteLog(String documentId) {
    if (documentId != null) {
      MDC.put(LogFields.DOCUMENT_ID, documentId);
    }
  }

  public void begin() {
    LOG.info("BEGIN", kv("attempt", attempt), kv("durationMs", elapsedMillis()));
  }

  public void retry(int nextAttempt) {
    LOG.info("RETRY", kv("attempt", nextAttempt), kv("durationMs", elapsedMillis()),
        kv("reason", "ABORTED"));
    this.attempt = nextAttempt;
  }

  public void commit(String commitTimestamp, String outcome) {
    LOG.info("COMMIT", kv("attempt", attempt), kv("durationMs", elapsedMillis()),
        kv("commitTimestamp", commitTimestamp), kv("outcome", outcome));
  }

  public void rollback(String errorCode) {
    LOG.info("ROLLBACK", kv("attempt", attempt), kv("durationMs", elapsedMillis()),
        kv("errorCode", errorCode));
  }

  public void published(String eventId, String messageId) {
    LOG.info("PUBLISH ok", kv("attempt", attempt), kv("durationMs", elapsedMillis()),
        kv("eventId", eventId), kv("messageId", messageId));
  }

  public void publishFailed(String eventId, String reason, Throwable cause) {
    LOG.warn("PUBLISH failed; the outbox relay will publish it later", kv("attempt", attempt),
        kv("durationMs", elapsedMillis()), kv("eventId", eventId), kv("reason", reason), cause);
  }

  public void publishSkipped(String eventId, String reason) {
    LOG.warn("PUBLISH skipped; the outbox relay will publish it later", kv("attempt", attempt),
        kv("durationMs", elapsedMillis()), kv("eventId", eventId), kv("reason", reason));
  }

  public void storage(String step, String result) {
    LOG.info("STORAGE " + step, kv("attempt", attempt), kv("durationMs", elapsedMillis()),
        kv("result", result));
  }

  public void storageFailed(String step, String result) {
    LOG.warn("STORAGE " + step + " failed", kv("attempt", attempt),
        kv("durationMs", elapsedMillis()), kv("result", result));
  }

  /** A post-commit step that an armed failpoint skipped; what it left is repaired later. */
  public void stepSkipped(String step) {
    LOG.warn("STEP " + step + " skipped by failpoint", kv("attempt", attempt),
        kv("durationMs", elapsedMillis()));
  }

  public void documentId(String documentId) {
    MDC.put(LogFields.DOCUMENT_ID, documentId);
  }

  private long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}

package dev.docstore.logging;

/** Names of the structured fields every request's log lines carry (through the MDC). */
public final class LogFields {
  public static final String REQUEST_ID = "requestId";
  public static final String TENANT_ID = "tenantId";
  public static final String USER_ID = "userId";
  public static final String OPERATION = "operation";
  public static final String DOCUMENT_ID = "documentId";
  public static final String TRACE = "logging.googleapis.com/trace";
  public static final String SPAN_ID = "logging.googleapis.com/spanId";
  public static final String TRACE_SAMPLED = "logging.googleapis.com/trace_sampled";

  private LogFields() {}
}

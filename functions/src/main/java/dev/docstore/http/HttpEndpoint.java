package dev.docstore.http;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.cloud.spanner.SpannerException;
import com.google.cloud.storage.StorageException;
import dev.docstore.app.Docstore;
import dev.docstore.auth.Authenticator.Unauthenticated;
import dev.docstore.auth.Caller;
import dev.docstore.failpoints.FailpointException;
import dev.docstore.logging.LogFields;
import dev.docstore.logging.TraceContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP wrapper every function uses: request id, method, credentials, the handler, and the
 * mapping of typed errors to problem+json. No exception text ever reaches a response.
 */
public final class HttpEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.http");
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  public static final String REQUEST_ID_HEADER = "X-Request-Id";
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private final Docstore app;
  private final String function;
  private final String method;
  private final long maxBodyBytes;
  private final boolean authenticated;
  private final Cors cors;

  /** A frontend-facing function: every call is authenticated and scoped to its tenant. */
  public HttpEndpoint(Docstore app, String function, String method) {
    this(app, function, method, true);
  }

  /**
   * A background HTTP function (publishOutbox): it carries no tenant credentials; in production
   * only IAM lets its caller (Cloud Scheduler's service account) in.
   */
  public static HttpEndpoint internal(Docstore app, String function, String method) {
    return new HttpEndpoint(app, function, method, false);
  }

  private HttpEndpoint(Docstore app, String function, String method, boolean authenticated) {
    this.authenticated = authenticated;
    this.cors = authenticated ? new Cors(app.config().allowedOrigins(),
        app.config().authMode() == dev.docstore.config.Config.AuthMode.DEV) : null;
    this.app = app;
    this.function = function;
    this.method = method;
    // base64 grows content by 4/3, JSON escapes can grow text further; decoded content is
    // checked against MAX_CONTENT_BYTES precisely by the operation.
    this.maxBodyBytes = app.config().maxContentBytes() * 2 + 64 * 1024;
  }

  /** A handler: parse, call the operation, return the reply; throw typed errors. */
  public interface Handler {
    Reply handle(Call call);
  }

  public void serve(HttpRequest request, HttpResponse response, Handler handler)
      throws IOException {
    String requestId = request.getFirstHeader(REQUEST_ID_HEADER)
        .filter(id -> REQUEST_ID.matcher(id).matches())
        .orElseGet(() -> UUID.randomUUID().toString());
    MDC.clear();
    MDC.put(LogFields.REQUEST_ID, requestId);
    MDC.put(LogFields.OPERATION, function);
    TraceContext.parse(request.getFirstHeader("traceparent"),
        request.getFirstHeader("X-Cloud-Trace-Context")).ifPresent(trace -> {
          MDC.put(LogFields.TRACE, trace.traceResource(app.config().projectId()));
          if (trace.spanIdHex() != null) {
            MDC.put(LogFields.SPAN_ID, trace.spanIdHex());
          }
          MDC.put(LogFields.TRACE_SAMPLED, Boolean.toString(trace.sampled()));
        });
    response.appendHeader(REQUEST_ID_HEADER, requestId);
    // Every answer is per caller (or an error about this request): never cache one.
    response.appendHeader("Cache-Control", "no-store");
    if (cors != null) {
      if (Cors.isPreflight(request)) {
        cors.preflight(request, response, method);
        MDC.clear();
        return;
      }
      cors.decorate(request, response);
    }
    try {
      Reply reply = dispatch(request, response, handler, requestId);
      write(response, reply);
    } catch (ApiException e) {
      problem(response, e.code(), e.detail(), requestId);
    } catch (RuntimeException e) {
      ErrorCodeAndDetail mapped = map(e);
      if (mapped.code() == ErrorCode.INTERNAL) {
        LOG.error("unhandled error", e);
      } else {
        LOG.warn("dependency unavailable: {}", e.getClass().getSimpleName());
      }
      problem(response, mapped.code(), mapped.detail(), requestId);
    } finally {
      MDC.clear();
    }
  }

  private Reply dispatch(HttpRequest request, HttpResponse response, Handler handler,
      String requestId) {
    if (!method.equalsIgnoreCase(request.getMethod())) {
      response.appendHeader("Allow", method);
      throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
          function + " accepts " + method + " only");
    }
    if (!authenticated) {
      return handler.handle(new Call(request, null, requestId, app.json(), maxBodyBytes));
    }
    Caller caller;
    try {
      caller = app.authenticator().authenticate(request);
    } catch (Unauthenticated e) {
      LOG.info("unauthenticated: {}", e.getMessage());
      response.appendHeader("WWW-Authenticate", "Bearer");
      throw new ApiException(ErrorCode.UNAUTHENTICATED,
          "missing or invalid credentials");
    }
    MDC.put(LogFields.TENANT_ID, caller.tenantId());
    MDC.put(LogFields.USER_ID, caller.userId());
    return handler.handle(new Call(request, caller, requestId, app.json(), maxBodyBytes));
  }

  private void write(HttpResponse response, Reply reply) throws IOException {
    response.setStatusCode(reply.status());
    response.setContentType(reply.contentType());
    reply.headers().forEach(response::appendHeader);
    try (OutputStream out = response.getOutputStream()) {
      out.write(reply.body());
    }
  }

  private void problem(HttpResponse response, ErrorCode code, String detail,
      String requestId) throws IOException {
    response.setStatusCode(code.status());
    response.setContentType(Problem.CONTENT_TYPE);
    try (OutputStream out = response.getOutputStream()) {
      out.write(Problem.body(app.json(), code, detail, requestId));
    }
  }

  private record ErrorCodeAndDetail(ErrorCode code, String detail) {}

  private static final Set<com.google.cloud.spanner.ErrorCode> TRANSIENT_SPANNER = Set.of(
      com.google.cloud.spanner.ErrorCode.UNAVAILABLE,
      com.google.cloud.spanner.ErrorCode.DEADLINE_EXCEEDED,
      com.google.cloud.spanner.ErrorCode.RESOURCE_EXHAUSTED,
      com.google.cloud.spanner.ErrorCode.ABORTED);

  private static ErrorCodeAndDetail map(RuntimeException e) {
    String retry = "a dependency is unavailable; retry with the same Idempotency-Key";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FailpointException) {
        return new ErrorCodeAndDetail(ErrorCode.UNAVAILABLE, retry);
      }
      if (t instanceof SpannerException se && TRANSIENT_SPANNER.contains(se.getErrorCode())) {
        return new ErrorCodeAndDetail(ErrorCode.UNAVAILABLE, retry);
      }
      if (t instanceof StorageException se && (se.getCode() >= 500 || se.getCode() == 429
          || se.isRetryable())) {
        return new ErrorCodeAndDetail(ErrorCode.UNAVAILABLE, retry);
      }
      if (t instanceof com.google.api.gax.rpc.ApiException gax && gax.isRetryable()) {
        return new ErrorCodeAndDetail(ErrorCode.UNAVAILABLE, retry);
      }
    }
    return new ErrorCodeAndDetail(ErrorCode.INTERNAL,
        "an internal error occurred; it was logged with the request id");
  }
}

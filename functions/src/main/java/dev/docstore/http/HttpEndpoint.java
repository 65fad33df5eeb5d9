package dev.docstore.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.api.Caller;
import dev.docstore.api.DocstoreException;
import dev.docstore.api.MethodNotAllowed;
import dev.docstore.api.Operation;
import dev.docstore.api.RangeNotSatisfiable;
import dev.docstore.api.Unauthenticated;
import dev.docstore.auth.Authenticator;
import dev.docstore.failure.Failure;
import dev.docstore.logging.LogFields;
import dev.docstore.logging.TraceContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One HTTP function: request id, trace, method, credentials, the handler, and the answer. Every
 * failure, ours or an SDK's, becomes problem+json through {@link Failure} and {@link Problem}:
 * no exception text ever reaches a response. Every answer is {@code Cache-Control: no-store}
 * unless its {@link Reply} lets caches keep it, and then it varies on the credential headers.
 * Built by {@link HttpEndpoints}.
 */
public final class HttpEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.http");
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  static final String REQUEST_ID_HEADER = "X-Request-Id";
  static final String CACHE_CONTROL = "Cache-Control";
  static final String NO_STORE = "no-store";
  static final String VARY = "Vary";

  /** Null for the answer to a path no function serves: any method, no operation. */
  private final Operation operation;
  /** Built on the first request that gets past the method and credential checks. */
  private final Supplier<Handler> handler;
  /** Null for a background function: it carries no tenant credentials (IAM lets it in). */
  private final Authenticator authenticator;
  /** Null for a background function: browsers never call it. */
  private final Cors cors;
  /** The headers credentials travel in: what an answer a cache may keep varies on. */
  private final List<String> credentialHeaders;
  private final ObjectMapper json;
  private final long maxBodyBytes;
  private final String projectId;
  private final RequestDeadline deadline;

  HttpEndpoint(Operation operation, Supplier<Handler> handler, Authenticator authenticator,
      Cors cors, List<String> credentialHeaders,
      ObjectMapper json, long maxBodyBytes, String projectId, RequestDeadline deadline) {
    this.operation = operation;
    this.handler = handler;
    this.authenticator = authenticator;
    this.cors = cors;
    this.credentialHeaders = List.copyOf(credentialHeaders);
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
    this.projectId = projectId;
    this.deadline = deadline;
  }

  /** Parses the call, runs the operation, returns the reply; throws typed errors. */
  public interface Handler {
    Reply handle(Call call);
  }

  /** The request's own id when it sent a valid one, else a generated one. */
  static String requestId(Optional<String> sent) {
    return sent.filter(id -> REQUEST_ID.matcher(id).matches())
        .orElseGet(() -> UUID.randomUUID().toString());
  }

  public void serve(HttpRequest request, HttpResponse response) throws IOException {
    String requestId = requestId(request.getFirstHeader(REQUEST_ID_HEADER));
    MDC.clear();
    MDC.put(LogFields.REQUEST_ID, requestId);
    if (operation != null) {
      MDC.put(LogFields.OPERATION, operation.functionName());
    }
    TraceContext.parse(request.getFirstHeader("traceparent"),
        request.getFirstHeader("X-Cloud-Trace-Context")).ifPresent(trace -> {
          MDC.put(LogFields.TRACE, trace.traceResource(projectId));
          if (trace.spanIdHex() != null) {
            MDC.put(LogFields.SPAN_ID, trace.spanIdHex());
          }
          MDC.put(LogFields.TRACE_SAMPLED, Boolean.toString(trace.sampled()));
        });
    response.appendHeader(REQUEST_ID_HEADER, requestId);
    if (cors != null && Cors.isPreflight(request)) {
      response.appendHeader(CACHE_CONTROL, NO_STORE);
      cors.preflight(request, response, operation.method());
      MDC.clear();
      return;
    }
    try {
      // Credentials, the handler and all it calls run inside REQUEST_DEADLINE; past it, the
      // clients fail with DEADLINE_EXCEEDED, which answers 503 like any unavailable dependency.
      Reply reply = deadline.within(() -> dispatch(request, requestId));
      write(request, response, reply, body(reply));
    } catch (RuntimeException e) {
      fail(request, response, e, requestId);
    } finally {
      MDC.clear();
    }
  }

  private Reply dispatch(HttpRequest request, String requestId) {
    if (operation != null && !operation.method().equalsIgnoreCase(request.getMethod())) {
      throw new MethodNotAllowed(operation);
    }
    Caller caller = null;
    if (authenticator != null) {
      caller = authenticator.authenticate(request);
      MDC.put(LogFields.TENANT_ID, caller.tenantId());
      MDC.put(LogFields.USER_ID, caller.userId());
    }
    Handler built = RequestDeadline.outside(handler);
    return built.handle(new Call(request, caller, requestId, json, maxBodyBytes));
  }

  private byte[] body(Reply reply) {
    if (reply.json() == null) {
      return reply.bytes();
    }
    try {
      return json.writeValueAsBytes(reply.json());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  private void write(HttpRequest request, HttpResponse response, Reply reply, byte[] body)
      throws IOException {
    response.setStatusCode(reply.status());
    if (reply.contentType() != null) {
      response.setContentType(reply.contentType());
    }
    reply.headers().forEach(response::appendHeader);
    if (reply.cacheable()) {
      // A cache may keep it, and it is one caller's: never hand it to other credentials.
      varyAndCors(request, response, credentialHeaders);
    } else {
      // Every other answer is per caller, or an error about this request: never cache one.
      response.appendHeader(CACHE_CONTROL, NO_STORE);
      varyAndCors(request, response, List.of());
    }
    try (OutputStream out = response.getOutputStream()) {
      out.write(body);
    }
  }

  /**
   * One {@code Vary} for the whole answer: the request headers it depends on, and {@code Origin}
   * with the CORS headers for a frontend function.
   */
  private void varyAndCors(HttpRequest request, HttpResponse response, List<String> on) {
    List<String> vary = new ArrayList<>(on);
    if (cors != null) {
      cors.decorate(request, response);
      vary.add(Cors.VARY_ON);
    }
    if (!vary.isEmpty()) {
      response.appendHeader(VARY, String.join(", ", vary));
    }
  }

  private void fail(HttpRequest request, HttpResponse response, RuntimeException e,
      String requestId) throws IOException {
    Failure failure = Failure.of(e);
    switch (failure.kind()) {
      case REFUSED -> {
        DocstoreException refusal = failure.refusal();
        if (refusal instanceof Unauthenticated unauthenticated) {
          LOG.info("unauthenticated: {}", unauthenticated.reason());
          response.appendHeader("WWW-Authenticate", "Bearer");
        } else if (refusal instanceof MethodNotAllowed notAllowed) {
          response.appendHeader("Allow", notAllowed.allowed());
        } else if (refusal instanceof RangeNotSatisfiable range) {
          response.appendHeader(ContentReply.CONTENT_RANGE, ByteRange.unsatisfied(range.length()));
        }
      }
      case INTERNAL -> LOG.error("unhandled error", e);
      // The code (e.g. spanner_deadline_exceeded) tells a deadline from an outage; a read
      // never reaches the write log's ROLLBACK line, which carries it for writes.
      case TRANSIENT, INJECTED -> LOG.warn("dependency unavailable: {}",
          e.getClass().getSimpleName(), kv("errorCode", failure.code()));
    }
    response.appendHeader(CACHE_CONTROL, NO_STORE);
    varyAndCors(request, response, List.of());
    response.setStatusCode(Problem.status(failure.condition()));
    response.setContentType(Problem.CONTENT_TYPE);
    try (OutputStream out = response.getOutputStream()) {
      out.write(Problem.body(json, failure.condition(), failure.detail(), requestId,
          failure.problemMembers()));
    }
  }
}

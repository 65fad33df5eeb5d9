package dev.docstore.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.api.Condition;
import dev.docstore.api.NotFound;
import dev.docstore.api.Operation;
import dev.docstore.auth.Authenticator;
import dev.docstore.auth.DevAuthenticator;
import dev.docstore.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the {@link HttpEndpoint} of each HTTP operation from what they all share: the
 * authenticator and CORS of the frontend-facing ones, the JSON mapper, the body bound and the
 * project (for trace ids).
 */
public final class HttpEndpoints {
  private final Authenticator authenticator;
  private final Cors cors;
  private final List<String> credentialHeaders;
  private final ObjectMapper json;
  private final long maxBodyBytes;
  private final String projectId;
  private final RequestDeadline deadline;

  public HttpEndpoints(Config config, Authenticator authenticator, ObjectMapper json,
      RequestDeadline deadline) {
    this.authenticator = authenticator;
    boolean devAuth = config.authMode() == Config.AuthMode.DEV;
    this.cors = new Cors(config.allowedOrigins(), devAuth);
    this.credentialHeaders = credentialHeaders(devAuth);
    this.json = json;
    // base64 grows content by 4/3, JSON escapes can grow text further; decoded content is
    // checked against MAX_CONTENT_BYTES precisely by the operation.
    this.maxBodyBytes = config.maxContentBytes() * 2 + 64 * 1024;
    this.projectId = config.projectId();
    this.deadline = deadline;
  }

  /**
   * The headers a caller's credentials travel in: Authorization, and under dev auth also
   * X-Tenant-Id and X-User-Id. An answer a cache may keep varies on them.
   */
  static List<String> credentialHeaders(boolean devAuth) {
    return devAuth
        ? List.of("Authorization", DevAuthenticator.TENANT_HEADER, DevAuthenticator.USER_HEADER)
        : List.of("Authorization");
  }

  /** The endpoint of {@code operation}; its handler is built on first use. */
  public HttpEndpoint endpoint(Operation operation, Supplier<HttpEndpoint.Handler> handler) {
    return switch (operation.trigger()) {
      case HTTP_PUBLIC -> new HttpEndpoint(operation, handler, authenticator, cors,
          credentialHeaders, json, maxBodyBytes, projectId, deadline);
      // In production only IAM lets the caller (Cloud Scheduler's service account) in.
      case HTTP_PRIVATE -> new HttpEndpoint(operation, handler, null, null, List.of(), json,
          maxBodyBytes, projectId, deadline);
      case CLOUD_EVENT -> throw new IllegalArgumentException(
          operation.functionName() + " is not an HTTP function");
    };
  }

  /**
   * A problem+json answer that a host's own server writes before any function runs: the headers
   * it must carry ({@code X-Request-Id}, {@code Cache-Control: no-store}, the content type) and
   * its body.
   */
  public record ServerProblem(Map<String, String> headers, byte[] body) {}

  /**
   * The answer for a request that a host's server refused with {@code status} itself (one it
   * could not parse, headers too large): the problem of the condition with that status, else
   * {@code invalid_request} for a 4xx and {@code internal} otherwise, with the request's own id
   * when {@code requestIdHeader} is a valid one.
   */
  public ServerProblem serverProblem(int status, Optional<String> requestIdHeader) {
    String requestId = HttpEndpoint.requestId(requestIdHeader);
    Condition condition = Problem.forStatus(status);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", Problem.CONTENT_TYPE);
    headers.put(HttpEndpoint.REQUEST_ID_HEADER, requestId);
    headers.put(HttpEndpoint.CACHE_CONTROL, HttpEndpoint.NO_STORE);
    String detail = status < 500 ? "the server could not read this request"
        : "the server could not answer this request";
    return new ServerProblem(headers, Problem.body(json, condition, status, detail, requestId));
  }

  /**
   * The answer to a path no function serves, for a host that serves several functions under one
   * server (the local stack): 404 not_found for any method, with the request id and the headers
   * of every answer, before any credentials are looked at.
   */
  public HttpEndpoint unknownPath() {
    HttpEndpoint.Handler notFound = call -> {
      throw NotFound.path();
    };
    return new HttpEndpoint(null, () -> notFound, null, null, List.of(), json, maxBodyBytes,
        projectId, deadline);
  }
}

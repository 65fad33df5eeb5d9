package dev.docstore.http;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.auth.DevAuthenticator;
import dev.docstore.idempotency.IdempotencyKey;
import dev.docstore.input.IfMatch;
import java.util.List;
import java.util.Optional;

/**
 * CORS for the frontend-facing functions, driven by ALLOWED_ORIGINS. An origin not on the list
 * gets no CORS headers at all, so the browser refuses to hand the response to its page.
 */
final class Cors {
  /** If-Match is the precondition of writes; the rest are getVersionContent's. */
  static final String ALLOWED_HEADERS = String.join(", ", "Authorization", "Content-Type",
      IdempotencyKey.HEADER, HttpEndpoint.REQUEST_ID_HEADER, ContentReply.IF_NONE_MATCH,
      IfMatch.HEADER, ContentReply.RANGE, ContentReply.IF_RANGE);
  static final String DEV_HEADERS =
      ", " + DevAuthenticator.TENANT_HEADER + ", " + DevAuthenticator.USER_HEADER;
  static final String EXPOSED_HEADERS = String.join(", ", Reply.REPLAYED_HEADER,
      HttpEndpoint.REQUEST_ID_HEADER, Reply.ETAG_HEADER, ContentReply.CONTENT_RANGE,
      ContentReply.ACCEPT_RANGES, ContentReply.CONTENT_DISPOSITION);
  /** What every answer of a CORS function varies on, beside what the answer itself does. */
  static final String VARY_ON = "Origin";
  private static final String MAX_AGE_SECONDS = "600";

  private final List<String> allowedOrigins;
  private final String allowedHeaders;

  Cors(List<String> allowedOrigins, boolean devAuth) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
    this.allowedHeaders = ALLOWED_HEADERS + (devAuth ? DEV_HEADERS : "");
  }

  private Optional<String> allowedOrigin(HttpRequest request) {
    return request.getFirstHeader("Origin").filter(allowedOrigins::contains);
  }

  static boolean isPreflight(HttpRequest request) {
    return "OPTIONS".equalsIgnoreCase(request.getMethod());
  }

  /** Answers a preflight: 204, with the CORS grant only for an allowed origin. */
  void preflight(HttpRequest request, HttpResponse response, String method) {
    response.appendHeader(HttpEndpoint.VARY, VARY_ON);
    allowedOrigin(request).ifPresent(origin -> {
      response.appendHeader("Access-Control-Allow-Origin", origin);
      response.appendHeader("Access-Control-Allow-Methods", method);
      response.appendHeader("Access-Control-Allow-Headers", allowedHeaders);
      response.appendHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
    });
    response.setStatusCode(204);
  }

  /**
   * On an actual request: let an allowed origin's page read the answer and its headers. The
   * answer must also vary on {@link #VARY_ON}, which the endpoint folds into its one Vary.
   */
  void decorate(HttpRequest request, HttpResponse response) {
    allowedOrigin(request).ifPresent(origin -> {
      response.appendHeader("Access-Control-Allow-Origin", origin);
      response.appendHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    });
  }
}

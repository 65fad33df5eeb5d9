package dev.docstore.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.api.Operation;
import dev.docstore.auth.Authenticator;
import dev.docstore.config.Config;
import java.util.function.Supplier;

/**
 * Builds the {@link HttpEndpoint} of each HTTP operation from what they all share: the
 * authenticator and CORS of the frontend-facing ones, the JSON mapper, the body bound and the
 * project (for trace ids).
 */
public final class HttpEndpoints {
  private final Authenticator authenticator;
  private final Cors cors;
  private final ObjectMapper json;
  private final long maxBodyBytes;
  private final String projectId;

  public HttpEndpoints(Config config, Authenticator authenticator, ObjectMapper json) {
    this.authenticator = authenticator;
    this.cors = new Cors(config.allowedOrigins(), config.authMode() == Config.AuthMode.DEV);
    this.json = json;
    // base64 grows content by 4/3, JSON escapes can grow text further; decoded content is
    // checked against MAX_CONTENT_BYTES precisely by the operation.
    this.maxBodyBytes = config.maxContentBytes() * 2 + 64 * 1024;
    this.projectId = config.projectId();
  }

  /** The endpoint of {@code operation}; its handler is built on first use. */
  public HttpEndpoint endpoint(Operation operation, Supplier<HttpEndpoint.Handler> handler) {
    return switch (operation.trigger()) {
      case HTTP_PUBLIC -> new HttpEndpoint(operation, handler, authenticator, cors, json,
          maxBodyBytes, projectId);
      // In production only IAM lets the caller (Cloud Scheduler's service account) in.
      case HTTP_PRIVATE -> new HttpEndpoint(operation, handler, null, null, json, maxBodyBytes,
          projectId);
      case CLOUD_EVENT -> throw new IllegalArgumentException(
          operation.functionName() + " is not an HTTP function");
    };
  }
}

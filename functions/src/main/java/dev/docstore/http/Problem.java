package dev.docstore.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docstore.api.Condition;
import java.util.Map;

/**
 * RFC 9457 problem details, {@code {type, title, status, detail, code, requestId}}: the one
 * mapping of a {@link Condition} to its HTTP status and title.
 */
final class Problem {
  static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://docstore.dev/problems/";

  private Problem() {}

  static int status(Condition condition) {
    return switch (condition) {
      case INVALID_REQUEST -> 400;
      case UNAUTHENTICATED -> 401;
      case NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case IDEMPOTENCY_KEY_REUSED, VERSION_IS_ACTIVE, VERSION_STATE, DOCUMENT_STATE -> 409;
      case PRECONDITION_FAILED -> 412;
      case PAYLOAD_TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case RANGE_NOT_SATISFIABLE -> 416;
      case INTERNAL -> 500;
      case UNAVAILABLE -> 503;
    };
  }

  static String title(Condition condition) {
    return switch (condition) {
      case INVALID_REQUEST -> "Invalid request";
      case UNAUTHENTICATED -> "Unauthenticated";
      case NOT_FOUND -> "Not found";
      case METHOD_NOT_ALLOWED -> "Method not allowed";
      case IDEMPOTENCY_KEY_REUSED -> "Idempotency key reused";
      case VERSION_IS_ACTIVE -> "Version is active";
      case VERSION_STATE -> "Version state conflict";
      case DOCUMENT_STATE -> "Document state conflict";
      case PRECONDITION_FAILED -> "Precondition failed";
      case PAYLOAD_TOO_LARGE -> "Payload too large";
      case UNSUPPORTED_MEDIA_TYPE -> "Unsupported media type";
      case RANGE_NOT_SATISFIABLE -> "Range not satisfiable";
      case INTERNAL -> "Internal error";
      case UNAVAILABLE -> "Service unavailable";
    };
  }

  /**
   * The condition of a status that a host's server chose itself: the condition with exactly that
   * status, else {@code invalid_request} for a 4xx and {@code internal} for anything else.
   */
  static Condition forStatus(int status) {
    for (Condition condition : Condition.values()) {
      if (status(condition) == status) {
        return condition;
      }
    }
    return status >= 400 && status < 500 ? Condition.INVALID_REQUEST : Condition.INTERNAL;
  }

  /** The problem of {@code condition}, with its extension members (the etag of a 412). */
  static byte[] body(ObjectMapper json, Condition condition, String detail, String requestId,
      Map<String, String> members) {
    return body(json, condition, status(condition), detail, requestId, members);
  }

  /** A problem with the answer's own status, when the host's server chose it. */
  static byte[] body(ObjectMapper json, Condition condition, int status, String detail,
      String requestId) {
    return body(json, condition, status, detail, requestId, Map.of());
  }

  private static byte[] body(ObjectMapper json, Condition condition, int status, String detail,
      String requestId, Map<String, String> members) {
    ObjectNode node = json.createObjectNode();
    node.put("type", TYPE_BASE + condition.code());
    node.put("title", title(condition));
    node.put("status", status);
    node.put("detail", detail);
    node.put("code", condition.code());
    node.put("requestId", requestId);
    members.forEach(node::put);
    try {
      return json.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a problem", e);
    }
  }
}

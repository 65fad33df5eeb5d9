package dev.docstore.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 9457 problem details: {type, title, status, detail, code, requestId}. */
public final class Problem {
  public static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://docstore.dev/problems/";

  private Problem() {}

  public static byte[] body(ObjectMapper json, ErrorCode code, String detail, String requestId) {
    ObjectNode node = json.createObjectNode();
    node.put("type", TYPE_BASE + code.code());
    node.put("title", code.title());
    node.put("status", code.status());
    node.put("detail", detail);
    node.put("code", code.code());
    node.put("requestId", requestId);
    try {
      return json.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a problem", e);
    }
  }
}

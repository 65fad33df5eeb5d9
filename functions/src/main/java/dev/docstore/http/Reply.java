package dev.docstore.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.write.WriteResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response to write: status, content type, body (bytes, or a JSON tree the endpoint
 * serialises) and extra headers.
 */
public record Reply(int status, String contentType, byte[] bytes, JsonNode json,
    Map<String, String> headers) {
  static final String JSON = "application/json";
  static final String REPLAYED_HEADER = "Idempotent-Replayed";
  static final String ETAG_HEADER = "ETag";

  public static Reply json(int status, JsonNode body) {
    return new Reply(status, JSON, null, body, Map.of());
  }

  public static Reply bytes(String contentType, byte[] body) {
    return new Reply(200, contentType, body, null, Map.of());
  }

  /** A write's answer, byte for byte what was stored; a replay carries Idempotent-Replayed. */
  public static Reply write(WriteResult result) {
    Reply reply = new Reply(result.status(), JSON,
        result.body().getBytes(StandardCharsets.UTF_8), null, Map.of());
    return result.replayed() ? reply.withHeader(REPLAYED_HEADER, "true") : reply;
  }

  public Reply withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, contentType, bytes, json, copy);
  }
}

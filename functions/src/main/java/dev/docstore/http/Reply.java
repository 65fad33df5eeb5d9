package dev.docstore.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.write.WriteResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response to write: status, content type (null for none), body (bytes, or a JSON tree the
 * endpoint serialises) and extra headers. Unless a reply sets its own {@code Cache-Control}, the
 * endpoint sends {@code no-store}.
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

  /** 206: the bytes of the range its {@code Content-Range} header names. */
  static Reply partial(String contentType, byte[] body) {
    return new Reply(206, contentType, body, null, Map.of());
  }

  /** 304: no body and no content type, only the headers the 200 would have had to say so. */
  static Reply notModified() {
    return new Reply(304, null, new byte[0], null, Map.of());
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

  /**
   * Lets caches keep the answer as {@code cacheControl} says, in place of {@code no-store}.
   * Such an answer is one caller's, so the endpoint makes it vary on the credential headers.
   */
  Reply cachedAs(String cacheControl) {
    return withHeader(HttpEndpoint.CACHE_CONTROL, cacheControl);
  }

  /** Whether a cache may keep the answer: it set its own {@code Cache-Control}. */
  boolean cacheable() {
    return headers.containsKey(HttpEndpoint.CACHE_CONTROL);
  }
}

package dev.docstore.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response to write: status, content type, body and extra headers. */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json";

  public static Reply json(int status, String body) {
    return new Reply(status, JSON, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public static Reply json(int status, byte[] body) {
    return new Reply(status, JSON, body, Map.of());
  }

  public static Reply json(com.fasterxml.jackson.databind.ObjectMapper json, int status,
      com.fasterxml.jackson.databind.JsonNode body) {
    try {
      return json(status, json.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  public static Reply bytes(String contentType, byte[] body) {
    return new Reply(200, contentType, body, Map.of());
  }

  /** A write's answer; a replay carries Idempotent-Replayed: true. */
  public static Reply write(dev.docstore.write.WriteResult result) {
    Reply reply = json(result.status(), result.body());
    return result.replayed() ? reply.withHeader(HttpEndpoint.REPLAYED_HEADER, "true") : reply;
  }

  public Reply withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, contentType, body, copy);
  }
}

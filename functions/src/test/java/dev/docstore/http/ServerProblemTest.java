package dev.docstore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The problems a host's own server answers with: every status in the functions' format. */
class ServerProblemTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpEndpoints ENDPOINTS =
      new HttpEndpoints(Config.fromEnv(Map.of()), null, JSON,
          new RequestDeadline(Duration.ofSeconds(20)));

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({"400, invalid_request", "404, not_found", "405, method_not_allowed",
      "413, payload_too_large", "414, invalid_request", "431, invalid_request",
      "415, unsupported_media_type", "500, internal", "503, unavailable", "505, internal"})
  void everyStatusIsAProblemOfTheNearestCondition(int status, String code) throws Exception {
    HttpEndpoints.ServerProblem problem = ENDPOINTS.serverProblem(status, Optional.empty());
    JsonNode body = JSON.readTree(problem.body());
    assertEquals(List.of("type", "title", "status", "detail", "code", "requestId"),
        fieldNames(body));
    assertEquals(status, body.get("status").asInt(), "the answer's own status");
    assertEquals(code, body.get("code").asText());
    assertEquals("https://docstore.dev/problems/" + code, body.get("type").asText());
    assertEquals("application/problem+json", problem.headers().get("Content-Type"));
    assertEquals("no-store", problem.headers().get("Cache-Control"));
    String id = problem.headers().get("X-Request-Id");
    assertEquals(id, UUID.fromString(id).toString());
    assertEquals(id, body.get("requestId").asText());
  }

  @ParameterizedTest(name = "[{0}] echoed: {1}")
  @CsvSource({"req-1, true", "a:b.c_d-9, true", "'has space', false", "'', false"})
  void theRequestIdIsEchoedOnlyWhenValid(String sent, boolean echoed) throws Exception {
    HttpEndpoints.ServerProblem problem = ENDPOINTS.serverProblem(400, Optional.of(sent));
    String id = problem.headers().get("X-Request-Id");
    if (echoed) {
      assertEquals(sent, id);
    } else {
      assertNotEquals(sent, id);
      assertEquals(id, UUID.fromString(id).toString());
    }
    assertEquals(id, JSON.readTree(problem.body()).get("requestId").asText());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

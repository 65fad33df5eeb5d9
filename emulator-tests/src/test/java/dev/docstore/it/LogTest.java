package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.api.Step;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Transaction-boundary logs: one request id shows a write end to end, and nothing secret. */
class LogTest {
  @RegisterExtension
  static final Stack STACK = new Stack();

  private static final List<String> FIELDS = List.of("requestId", "tenantId", "userId",
      "documentId", "operation", "attempt", "durationMs");

  @ParameterizedTest
  @EnumSource(WriteScenario.class)
  void oneRequestIdShowsTheWriteEndToEndWithItsTrace(WriteScenario s) {
    String tenant = "logs-" + s.ordinal();
    WriteScenario.Prepared p = s.prepare(STACK.api(), tenant);
    String marker = "MARKER-" + UUID.randomUUID();
    Map<String, Object> body = new HashMap<>(s.body(p, 0));
    if (body.containsKey("title")) {
      body.put("title", "title " + marker);
    }
    if (body.containsKey("content")) {
      body.put("content", "content " + marker);
    }
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String requestId = "log-" + UUID.randomUUID();
    Api.Response response;
    List<JsonNode> lines;
    List<String> everything;
    try (LogCapture logs = new LogCapture()) {
      response = STACK.api().post(s.operation).tenant(tenant).key("log-key-" + marker)
          .header("X-Request-Id", requestId)
          .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
          .json(body).send();
      lines = logs.forRequest(requestId);
      everything = logs.lines();
    }
    assertEquals(s.successStatus(), response.status(), response.toString());
    String documentId = response.json().at("/document/documentId").asText();
    List<String> messages = LogCapture.messages(lines);
    assertEquals(1, messages.stream().filter("BEGIN"::equals).count(), messages.toString());
    assertEquals(1, messages.stream().filter(m -> m.equals("COMMIT") || m.equals("ROLLBACK"))
        .count(), messages.toString());
    assertTrue(messages.indexOf("BEGIN") < messages.indexOf("COMMIT"), messages.toString());
    assertTrue(messages.stream().anyMatch(m -> m.startsWith("PUBLISH")), "publish result");
    if (s == WriteScenario.CREATE_DOCUMENT || s == WriteScenario.CREATE_DOCUMENT_VERSION
        || s == WriteScenario.DELETE_DOCUMENT_VERSION) {
      assertTrue(messages.stream().anyMatch(m -> m.startsWith("STORAGE")), "storage step");
    }
    for (JsonNode line : lines) {
      for (String field : FIELDS) {
        assertTrue(line.hasNonNull(field), "'" + field + "' missing in " + line);
      }
      assertEquals(documentId, line.get("documentId").asText());
      assertEquals(tenant, line.get("tenantId").asText());
      assertEquals(s.function, line.get("operation").asText());
      assertEquals("projects/docstore-local/traces/" + traceId,
          line.path("logging.googleapis.com/trace").asText());
      assertEquals("00f067aa0ba902b7", line.path("logging.googleapis.com/spanId").asText());
      assertTrue(line.hasNonNull("severity") && line.hasNonNull("time"), line.toString());
    }
    for (String line : everything) {
      assertFalse(line.contains(marker), "a title or content reached the logs: " + line);
    }
  }

  @Test
  void cloudTraceContextSpanIdIsConvertedFromDecimalToHex() {
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String requestId = "log-xctc-" + UUID.randomUUID();
    List<JsonNode> lines;
    try (LogCapture logs = new LogCapture()) {
      STACK.api().post(CREATE_DOCUMENT).tenant("logs-xctc").header("X-Request-Id", requestId)
          .header("X-Cloud-Trace-Context", traceId + "/12345678901234567890;o=1")
          .json(Map.of("title", "t", "content", "c")).send();
      lines = logs.forRequest(requestId);
    }
    assertFalse(lines.isEmpty());
    for (JsonNode line : lines) {
      assertEquals("projects/docstore-local/traces/" + traceId,
          line.path("logging.googleapis.com/trace").asText());
      assertEquals(Long.toHexString(Long.parseUnsignedLong("12345678901234567890")),
          line.path("logging.googleapis.com/spanId").asText());
      assertEquals("true", line.path("logging.googleapis.com/trace_sampled").asText());
    }
  }

  @Test
  void aRejectedWriteLogsRollbackWithItsCodeAndNoCredentialsOrBodies() {
    String requestId = "log-reject-" + UUID.randomUUID();
    List<JsonNode> lines;
    List<String> everything;
    String secret = "SECRET-" + UUID.randomUUID();
    try (LogCapture logs = new LogCapture()) {
      Api.Response r = STACK.api().post(SET_ACTIVE_VERSION).tenant("logs-reject")
          .header("X-Request-Id", requestId)
          .header("Authorization", "Bearer " + secret)
          .json(Map.of("documentId", UUID.randomUUID().toString(), "version", 1)).send();
      assertEquals(404, r.status());
      lines = logs.forRequest(requestId);
      everything = logs.lines();
    }
    JsonNode rollback = lines.stream().filter(l -> l.path("message").asText().equals("ROLLBACK"))
        .findFirst().orElseThrow(() -> new AssertionError("no ROLLBACK in " + lines));
    assertEquals("not_found", rollback.path("errorCode").asText());
    assertTrue(everything.stream().noneMatch(l -> l.contains(secret)), "a token was logged");
  }

  @Test
  void aFailedDependencyLogsWhichFailureItWasWithoutItsMessageOrTheBody() {
    String requestId = "log-unavailable-" + UUID.randomUUID();
    String title = "TITLE-" + UUID.randomUUID();
    List<JsonNode> lines;
    List<String> everything;
    try (LogCapture logs = new LogCapture()) {
      STACK.local().docstore().failpoints()
          .set(CREATE_DOCUMENT.failpoint(Step.BEFORE_COMMIT).name(), "1*error");
      Api.Response r = STACK.api().post(CREATE_DOCUMENT).tenant("logs-unavailable")
          .header("X-Request-Id", requestId)
          .json(Map.of("title", title, "content", "x")).send();
      assertEquals(503, r.status(), r.toString());
      lines = logs.forRequest(requestId);
      everything = logs.lines();
    } finally {
      STACK.local().docstore().failpoints().clear();
    }
    JsonNode warning = lines.stream()
        .filter(l -> l.path("message").asText().startsWith("dependency unavailable"))
        .findFirst().orElseThrow(() -> new AssertionError("no warning in " + lines));
    assertEquals("WARNING", warning.path("severity").asText());
    assertEquals("dependency unavailable: FailpointException", warning.path("message").asText());
    assertEquals("failpoint", warning.path("errorCode").asText(), warning.toString());
    assertTrue(warning.path("stack_trace").isMissingNode(), warning.toString());
    assertTrue(everything.stream().noneMatch(l -> l.contains(title)), "a title was logged");
  }
}

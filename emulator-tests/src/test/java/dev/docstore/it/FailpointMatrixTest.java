package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.api.Failpoint;
import dev.docstore.api.Operation;
import dev.docstore.api.Step;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered failpoint of every write flow, driven from the registry (a new failpoint
 * joins the matrix without editing this class).
 */
class FailpointMatrixTest {
  @RegisterExtension
  static final Stack STACK = new Stack();

  static Stream<Failpoint> preCommit() {
    return httpWriteFailpoints().filter(f -> f.phase() == Step.Phase.PRE_COMMIT);
  }

  static Stream<Failpoint> postCommit() {
    return httpWriteFailpoints().filter(f -> f.phase() == Step.Phase.POST_COMMIT);
  }

  /**
   * The failpoints of the HTTP writes, which a client retries with its Idempotency-Key. Those of
   * purgeTrash, a background write with no key whose "retry" is the next run, are driven by
   * PurgeTrashTest's crash matrix instead.
   */
  private static Stream<Failpoint> httpWriteFailpoints() {
    return Operation.allFailpoints().stream()
        .filter(f -> f.operation().trigger() == Operation.Trigger.HTTP_PUBLIC);
  }

  private static WriteScenario scenario(Failpoint point) {
    return Stream.of(WriteScenario.values()).filter(s -> s.operation == point.operation())
        .findFirst().orElseThrow(() -> new AssertionError("no scenario for " + point));
  }

  private static String tenant(Failpoint point, String action) {
    return ("fp-" + action + "-" + point.name().replace('.', '-')).toLowerCase();
  }

  private static Api.Response send(WriteScenario s, WriteScenario.Prepared p, String key,
      String requestId) {
    return STACK.api().post(s.operation).tenant(p.tenant()).key(key)
        .header("X-Request-Id", requestId).json(s.body(p, 0)).send();
  }

  @ParameterizedTest(name = "{0} error")
  @MethodSource("preCommit")
  void preCommitErrorRollsEverythingBackThenTheRetryCommitsOnce(Failpoint point) {
    WriteScenario s = scenario(point);
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), tenant(point, "err"));
    STACK.events().drain(200);
    String census = STACK.rows().census(p.tenant());
    String requestId = "fp-" + UUID.randomUUID();
    Api.Response failed;
    try (LogCapture logs = new LogCapture()) {
      STACK.local().docstore().failpoints().set(point.name(), "1*error");
      failed = send(s, p, "fp-key", requestId);
      List<String> lines = LogCapture.messages(logs.forRequest(requestId));
      assertEquals(1, lines.stream().filter("ROLLBACK"::equals).count(), lines.toString());
      assertTrue(lines.stream().noneMatch("COMMIT"::equals), lines.toString());
    }
    assertTrue(failed.status() >= 500, failed.toString());
    assertEquals("application/problem+json", failed.header("Content-Type"));
    assertEquals(census, STACK.rows().census(p.tenant()),
        "no partial rows, no idempotency record, no outbox row");
    assertTrue(STACK.events().drain(300).isEmpty(), "no Pub/Sub message");
    assertTrue(STACK.invariants().violations().isEmpty());

    Api.Response retry = send(s, p, "fp-key", "fp-retry-" + UUID.randomUUID());
    assertEquals(s.successStatus(), retry.status(), retry.toString());
    assertNull(retry.header("Idempotent-Replayed"));
    assertEquals(1, s.effects(STACK.rows(), p.tenant()));
    assertEquals(1, STACK.events().drain(300).size());
  }

  @ParameterizedTest(name = "{0} abort")
  @MethodSource("preCommit")
  void preCommitAbortIsRetriedAndTheWriteSucceedsOnce(Failpoint point) {
    WriteScenario s = scenario(point);
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), tenant(point, "abort"));
    STACK.events().drain(200);
    String requestId = "fp-" + UUID.randomUUID();
    Api.Response response;
    List<String> lines;
    try (LogCapture logs = new LogCapture()) {
      STACK.local().docstore().failpoints().set(point.name(), "1*abort");
      response = send(s, p, "fp-abort-key", requestId);
      lines = LogCapture.messages(logs.forRequest(requestId));
    }
    assertEquals(s.successStatus(), response.status(), response.toString());
    assertTrue(lines.contains("RETRY"), "a RETRY line: " + lines);
    assertEquals(1, lines.stream().filter("COMMIT"::equals).count(), lines.toString());
    assertEquals(1, s.effects(STACK.rows(), p.tenant()));
    assertEquals(1, STACK.events().drain(300).size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("postCommit")
  void postCommitFailureAnswersSuccessAndTheDeferredStepCompletesOnce(Failpoint point) {
    WriteScenario s = scenario(point);
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), tenant(point, "post"));
    STACK.events().drain(200);
    String requestId = "fp-" + UUID.randomUUID();
    Api.Response response;
    List<JsonNode> lines;
    try (LogCapture logs = new LogCapture()) {
      STACK.local().docstore().failpoints().set(point.name(), "1*error");
      response = send(s, p, "fp-post-key", requestId);
      lines = logs.forRequest(requestId);
    }
    assertEquals(s.successStatus(), response.status(), response.toString());
    assertEquals(1, s.effects(STACK.rows(), p.tenant()), "the data is committed");
    List<String> messages = LogCapture.messages(lines);
    assertEquals(1, messages.stream().filter("COMMIT"::equals).count(), messages.toString());
    assertTrue(lines.stream().anyMatch(l -> "WARNING".equals(l.path("severity").asText())),
        "the skipped step is logged as a warning: " + messages);
    String skipped = point.step() == Step.AFTER_COMMIT_BEFORE_PUBLISH
        ? "PUBLISH skipped; the outbox relay will publish it later"
        : "STEP " + point.step().stepName() + " skipped by failpoint";
    assertTrue(messages.contains(skipped), "the line says which step was skipped: " + messages);
    List<com.google.pubsub.v1.ReceivedMessage> atCommit = STACK.events().drain(300);
    // Counted as the deployed subscriber would count it, so the relay does not send it again.
    atCommit.forEach(m -> assertTrue(STACK.deliver(m.getMessage())));
    int relayed = STACK.relayAfterGracePeriod().json().get("published").asInt();
    List<com.google.pubsub.v1.ReceivedMessage> later = STACK.events().drain(300);
    long forRequest = Stream.concat(atCommit.stream(), later.stream())
        .filter(m -> m.getMessage().getData().toStringUtf8().contains(requestId)).count();
    assertEquals(1, forRequest, "the event is published exactly once (at commit: "
        + atCommit.size() + ", by the relay: " + relayed + ")");
    assertEquals(0, STACK.relayAfterGracePeriod().json().get("published").asInt(),
        "nothing is left for a later relay run");
    assertEquals(0, STACK.rows().queryLong(
        "SELECT COUNT(*) FROM AnalyticsOutbox WHERE TenantId = @t AND Pending", p.tenant()),
        "every event ends up published and marked");
  }
}

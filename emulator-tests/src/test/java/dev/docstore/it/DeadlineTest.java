package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.api.Operation;
import dev.docstore.api.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * REQUEST_DEADLINE, against the emulators with a 2 s deadline: a request whose step, read or
 * commit runs past it answers 503 {@code unavailable} within the deadline (plus a margin for a
 * loaded machine), a write then leaves one ROLLBACK line and, unless its commit's outcome was
 * unknown, nothing written; a retry with the same key ends in exactly one effect.
 */
class DeadlineTest {
  private static final Duration DEADLINE = Duration.ofSeconds(2);
  /** Generous for a shared 2-core machine; far below the 10 s that each slow step lasts. */
  private static final Duration BOUND = DEADLINE.plusSeconds(3);
  private static final Duration SLOW = Duration.ofSeconds(10);

  @RegisterExtension
  static final Stack STACK =
      new Stack().env("REQUEST_DEADLINE", "PT" + DEADLINE.toSeconds() + "S");

  /** A timed answer. */
  private record Timed(Api.Response response, Duration took) {}

  private static Timed timed(Supplier<Api.Response> send) {
    long start = System.nanoTime();
    Api.Response response = send.get();
    return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
  }

  private static void assertUnavailableInTime(Timed timed) {
    assertEquals(503, timed.response().status(), timed.response().toString());
    assertEquals("unavailable", timed.response().code());
    assertTrue(timed.took().compareTo(BOUND) < 0,
        "answered within the deadline and a margin (" + BOUND + "), took " + timed.took());
  }

  private static void assertOneRollback(List<com.fasterxml.jackson.databind.JsonNode> lines,
      String errorCode) {
    List<String> messages = LogCapture.messages(lines);
    assertEquals(1, messages.stream().filter("ROLLBACK"::equals).count(), messages.toString());
    assertFalse(messages.contains("COMMIT"), messages.toString());
    assertEquals(errorCode, lines.stream()
        .filter(l -> "ROLLBACK".equals(l.path("message").asText()))
        .findFirst().orElseThrow().path("errorCode").asText());
  }

  @BeforeAll
  static void warmUp() {
    // The first request of an instance builds its clients; later ones measure the deadline.
    STACK.api().post(Operation.CREATE_DOCUMENT).tenant("deadline-warm-up")
        .json(Map.of("title", "warm", "content", "up")).send();
  }

  @ParameterizedTest(name = "createDocumentVersion.{0}")
  @EnumSource(value = Step.class, names = {"AFTER_IDEMPOTENCY_CHECK", "BEFORE_COMMIT"})
  void aStepPastTheDeadlineAnswers503InTimeWritesNothingAndTheKeyThenSucceedsOnce(Step step) {
    WriteScenario s = WriteScenario.CREATE_DOCUMENT_VERSION;
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(),
        "deadline-" + step.stepName().toLowerCase());
    STACK.events().drain(200);
    String census = STACK.rows().census(p.tenant());
    String requestId = "deadline-" + UUID.randomUUID();
    Timed failed;
    try (LogCapture logs = new LogCapture()) {
      STACK.local().docstore().failpoints()
          .set(s.operation.failpoint(step).name(), "1*delay(" + SLOW.toMillis() + ")");
      failed = timed(() -> STACK.api().post(s.operation).tenant(p.tenant()).key("slow-key")
          .header("X-Request-Id", requestId).json(s.body(p, 0)).send());
      assertOneRollback(logs.forRequest(requestId), "spanner_deadline_exceeded");
    }
    assertUnavailableInTime(failed);
    assertEquals(census, STACK.rows().census(p.tenant()),
        "no rows, no idempotency record, no outbox row");
    assertTrue(STACK.events().drain(300).isEmpty(), "no event");

    Api.Response retry = s.send(STACK.api(), p, 0, "slow-key");
    assertEquals(s.successStatus(), retry.status(), retry.toString());
    assertFalse(retry.replayed(), "executed afresh: the first attempt committed nothing");
    assertEquals(1, s.effects(STACK.rows(), p.tenant()));
    assertEquals(1, STACK.events().drain(300).size());
  }

  @Test
  void aReadWhoseAnswerArrivesPastTheDeadlineAnswers503InTime() {
    String tenant = "deadline-read";
    String documentId = STACK.api().post(Operation.CREATE_DOCUMENT).tenant(tenant)
        .json(Map.of("title", "slow", "content", "read")).send().json()
        .at("/document/documentId").asText();
    STACK.spannerLatency().hold(SLOW, "ExecuteStreamingSql", "StreamingRead");
    Timed read = timed(() -> STACK.api().get(Operation.GET_DOCUMENT).tenant(tenant)
        .query("documentId=" + documentId).send());
    STACK.spannerLatency().clear();
    assertUnavailableInTime(read);
    assertEquals(200, STACK.api().get(Operation.GET_DOCUMENT).tenant(tenant)
        .query("documentId=" + documentId).send().status());
  }

  @Test
  void aCommitWhoseOutcomeArrivesPastTheDeadlineAnswers503AndTheKeyReplaysIt() {
    String tenant = "deadline-commit";
    // Earlier tests of this stack may leave events to the relay (a mark cut off by their
    // deadline): publish them first, so that the relay below publishes this test's alone.
    STACK.relayAfterGracePeriod();
    STACK.events().drain(200);
    Map<String, Object> body = Map.of("title", "held", "content", "commit");
    String requestId = "deadline-" + UUID.randomUUID();
    Timed failed;
    try (LogCapture logs = new LogCapture()) {
      STACK.spannerLatency().hold(SLOW, "Commit");
      failed = timed(() -> STACK.api().post(Operation.CREATE_DOCUMENT).tenant(tenant)
          .key("held-commit").header("X-Request-Id", requestId).json(body).send());
      STACK.spannerLatency().clear();
      assertOneRollback(logs.forRequest(requestId), "spanner_deadline_exceeded");
    }
    assertUnavailableInTime(failed);
    long documents = STACK.rows().count("Documents", tenant);
    assertEquals(1, documents, "the held commit went through on the server");

    Api.Response retry = STACK.api().post(Operation.CREATE_DOCUMENT).tenant(tenant)
        .key("held-commit").json(body).send();
    assertEquals(201, retry.status(), retry.toString());
    assertTrue(retry.replayed(), "the retry settles the unknown outcome: it replays the commit");
    assertEquals(1, STACK.rows().count("Documents", tenant), "one effect");
    assertEquals(200, STACK.relayAfterGracePeriod().status(),
        "the relay publishes the event the held write could not");
    assertEquals(1, STACK.events().drain(300).stream()
        .filter(m -> m.getMessage().getData().toStringUtf8().contains(requestId)).count());
  }

  @Test
  void aTransactionThatSpannerKeepsAbortingAnswers503InTimeAndWritesNothing() {
    // Spanner asks for a 10 s pause before each retry: the client's own runner would sleep it
    // out past the deadline; the write's pauses end at the deadline.
    String tenant = "deadline-aborts";
    Map<String, Object> body = Map.of("title", "aborted", "content", "every commit");
    String requestId = "deadline-" + UUID.randomUUID();
    Timed failed;
    try (LogCapture logs = new LogCapture()) {
      STACK.spannerLatency().abortCommits(SLOW);
      failed = timed(() -> STACK.api().post(Operation.CREATE_DOCUMENT).tenant(tenant)
          .key("aborted-commits").header("X-Request-Id", requestId).json(body).send());
      STACK.spannerLatency().clear();
      assertOneRollback(logs.forRequest(requestId), "spanner_deadline_exceeded");
      assertTrue(LogCapture.messages(logs.forRequest(requestId)).contains("RETRY"),
          "the aborted attempt was retried before the deadline");
    }
    assertUnavailableInTime(failed);
    assertEquals(0, STACK.rows().count("Documents", tenant), "no commit reached Spanner");

    Api.Response retry = STACK.api().post(Operation.CREATE_DOCUMENT).tenant(tenant)
        .key("aborted-commits").json(body).send();
    assertEquals(201, retry.status(), retry.toString());
    assertFalse(retry.replayed(), "executed afresh: nothing had committed");
    assertEquals(1, STACK.rows().count("Documents", tenant));
  }

  @Test
  void contendedWritesNeverOutlastTheDeadlineAndEveryKeyEndsInOneEffect() throws Exception {
    WriteScenario s = WriteScenario.UPDATE_DOCUMENT;
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), "deadline-contended");
    int writers = 12;
    // Each attempt holds the document for 300 ms: twelve of them cannot all commit in 2 s.
    STACK.local().docstore().failpoints()
        .set(s.operation.failpoint(Step.BEFORE_COMMIT).name(), "delay(300)");
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<Timed>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < writers; i++) {
        Map<String, Object> body = Map.of("documentId", p.documentId(), "title", "t" + i);
        String key = "contended-" + i;
        answers.add(pool.submit(() -> timed(() -> STACK.api().post(s.operation)
            .tenant(p.tenant()).key(key).json(body).send())));
      }
      List<Integer> unavailable = new ArrayList<>();
      Duration slowest = Duration.ZERO;
      for (int i = 0; i < writers; i++) {
        Timed t = answers.get(i).get();
        int status = t.response().status();
        assertTrue(Set.of(200, 409, 412, 503).contains(status), t.response().toString());
        assertTrue(status != 409 && status != 412, "no precondition was sent: " + t.response());
        slowest = t.took().compareTo(slowest) > 0 ? t.took() : slowest;
        if (status == 503) {
          unavailable.add(i);
        }
      }
      assertTrue(slowest.compareTo(BOUND) < 0, "the slowest answer took " + slowest);
      assertFalse(unavailable.isEmpty(), "some writers ran out of time");
      STACK.local().docstore().failpoints().clear();
      for (int i : unavailable) {
        // A client retries a 503 with its key until it gets another answer; on a busy machine
        // one retry may itself run out of its 2 s while the writers before it finish.
        Api.Response retry = null;
        for (int attempt = 0; attempt < 5 && (retry == null || retry.status() == 503);
            attempt++) {
          retry = STACK.api().post(s.operation).tenant(p.tenant()).key("contended-" + i)
              .json(Map.of("documentId", p.documentId(), "title", "t" + i)).send();
        }
        assertEquals(200, retry.status(), retry.toString());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(writers, s.effects(STACK.rows(), p.tenant()), "one effect per key");
    for (int i = 0; i < writers; i++) {
      Api.Response again = STACK.api().post(s.operation).tenant(p.tenant()).key("contended-" + i)
          .json(Map.of("documentId", p.documentId(), "title", "t" + i)).send();
      assertEquals(200, again.status(), again.toString());
      assertTrue(again.replayed(), "every key's write is present: " + again);
    }
  }
}

package dev.docstore.it;

import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;
import static dev.docstore.api.Step.AFTER_COMMIT_BEFORE_PUBLISH;
import static dev.docstore.api.Step.BEFORE_COMMIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.api.Operation;
import dev.docstore.local.StorageCalls;
import dev.docstore.testing.RpcCounter;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** docs/CONTRACT.md "Idempotency", for every write function. */
class IdempotencyTest {
  @RegisterExtension
  static final Stack STACK = new Stack().env("IDEMPOTENCY_TTL", "PT2H");
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private static String tenant(WriteScenario s, String what) {
    return "idem-" + what + "-" + s.ordinal() + "-" + TENANTS.incrementAndGet();
  }

  @ParameterizedTest
  @EnumSource(WriteScenario.class)
  void replayIsByteIdenticalWritesNothingAndEmitsNothing(WriteScenario s) {
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), tenant(s, "replay"));
    Api.Response first = s.send(STACK.api(), p, 0, "key-1");
    assertEquals(s.successStatus(), first.status(), first.toString());
    String census = STACK.rows().census(p.tenant());
    Api.Response replay = s.send(STACK.api(), p, 0, "key-1");
    assertEquals(first.status(), replay.status());
    assertArrayEquals(first.body(), replay.body(), "byte-identical body");
    assertEquals("true", replay.header("Idempotent-Replayed"));
    assertEquals(first.header("Content-Type"), replay.header("Content-Type"));
    assertEquals(census, STACK.rows().census(p.tenant()), "a replay writes nothing");
    assertEquals(1, s.effects(STACK.rows(), p.tenant()));
  }

  @ParameterizedTest
  @EnumSource(WriteScenario.class)
  void sameKeyOtherPayloadOrOperationIs409AndWritesNothing(WriteScenario s) {
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), tenant(s, "reuse"));
    assertEquals(s.successStatus(), s.send(STACK.api(), p, 0, "key-2").status());
    String census = STACK.rows().census(p.tenant());
    Api.Response other = s.send(STACK.api(), p, 1, "key-2");
    BadInputTest.assertProblem(other, 409, "idempotency_key_reused");
    // The same key on another operation, with a body that operation would accept.
    WriteScenario another = s == WriteScenario.CREATE_DOCUMENT
        ? WriteScenario.CREATE_DOCUMENT_VERSION : WriteScenario.CREATE_DOCUMENT;
    WriteScenario.Prepared q = new WriteScenario.Prepared(p.tenant(),
        p.documentId() != null ? p.documentId() : "00000000-0000-4000-8000-000000000001", null);
    BadInputTest.assertProblem(another.send(STACK.api(), q, 0, "key-2"), 409,
        "idempotency_key_reused");
    assertEquals(census, STACK.rows().census(p.tenant()));
    assertEquals(1, s.effects(STACK.rows(), p.tenant()));
  }

  @ParameterizedTest
  @EnumSource(WriteScenario.class)
  void anotherTenantWithTheSameKeyStringIsIndependent(WriteScenario s) {
    WriteScenario.Prepared a = s.prepareCounted(STACK.api(), STACK.rows(), tenant(s, "a"));
    WriteScenario.Prepared b = s.prepareCounted(STACK.api(), STACK.rows(), tenant(s, "b"));
    assertEquals(s.successStatus(), s.send(STACK.api(), a, 0, "shared-key").status());
    Api.Response forB = s.send(STACK.api(), b, 1, "shared-key");
    assertEquals(s.successStatus(), forB.status(), forB.toString());
    assertNull(forB.header("Idempotent-Replayed"));
    assertEquals(1, s.effects(STACK.rows(), a.tenant()));
    assertEquals(1, s.effects(STACK.rows(), b.tenant()));
  }

  @ParameterizedTest
  @EnumSource(WriteScenario.class)
  void aFailureBeforeCommitStoresNothingAndTheRetryCommitsOnce(WriteScenario s) {
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), tenant(s, "fail"));
    String census = STACK.rows().census(p.tenant());
    STACK.local().docstore().failpoints().set(s.operation.failpoint(BEFORE_COMMIT), "1*error");
    Api.Response failed = s.send(STACK.api(), p, 0, "key-3");
    BadInputTest.assertProblem(failed, 503, "unavailable");
    assertEquals(census, STACK.rows().census(p.tenant()), "nothing stored");
    Api.Response retry = s.send(STACK.api(), p, 0, "key-3");
    assertEquals(s.successStatus(), retry.status(), retry.toString());
    assertNull(retry.header("Idempotent-Replayed"), "the retry runs afresh");
    assertEquals(1, s.effects(STACK.rows(), p.tenant()));
  }

  @ParameterizedTest
  @EnumSource(WriteScenario.class)
  void anExpiredRecordIsTreatedAsAbsent(WriteScenario s) {
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), tenant(s, "ttl"));
    assertEquals(s.successStatus(), s.send(STACK.api(), p, 0, "key-4").status());
    STACK.clock().advance(Duration.ofHours(2).plusMinutes(1));
    Api.Response again = s.send(STACK.api(), p, 1, "key-4");
    assertNull(again.header("Idempotent-Replayed"));
    assertEquals(s.successStatus(), again.status(),
        "past the TTL the key is free again, even for another payload: " + again);
    Api.Response replay = s.send(STACK.api(), p, 1, "key-4");
    assertEquals("true", replay.header("Idempotent-Replayed"), "the record was overwritten");
    assertArrayEquals(again.body(), replay.body());
    assertEquals(2, s.effects(STACK.rows(), p.tenant()));
  }

  @ParameterizedTest
  @EnumSource(WriteScenario.class)
  void sixteenParallelRequestsWithOneKeyHaveOneEffect(WriteScenario s) throws Exception {
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), tenant(s, "par"));
    List<Api.Response> responses = CreateDocumentTest.parallel(16,
        i -> s.send(STACK.api(), p, 0, "key-5"));
    Set<String> bodies = new HashSet<>();
    int replays = 0;
    for (Api.Response r : responses) {
      assertEquals(s.successStatus(), r.status(), r.toString());
      bodies.add(r.text());
      replays += "true".equals(r.header("Idempotent-Replayed")) ? 1 : 0;
    }
    assertEquals(1, bodies.size(), "identical bodies");
    assertEquals(15, replays);
    assertEquals(1, s.effects(STACK.rows(), p.tenant()));
  }

  @ParameterizedTest
  @EnumSource(WriteScenario.class)
  void sixteenParallelRequestsMixingTwoPayloadsHaveOneEffect(WriteScenario s) throws Exception {
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), tenant(s, "mix"));
    List<Api.Response> responses = CreateDocumentTest.parallel(16,
        i -> s.send(STACK.api(), p, i % 2, "key-6"));
    int fresh = 0;
    for (Api.Response r : responses) {
      if (r.status() == 409) {
        assertEquals("idempotency_key_reused", r.code());
      } else {
        assertEquals(s.successStatus(), r.status(), r.toString());
        fresh += r.header("Idempotent-Replayed") == null ? 1 : 0;
      }
    }
    assertEquals(1, fresh, "exactly one request executed");
    assertEquals(1, s.effects(STACK.rows(), p.tenant()));
  }

  @ParameterizedTest
  @EnumSource(WriteScenario.class)
  void badKeysAre400AndWriteNothing(WriteScenario s) {
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), tenant(s, "bad"));
    String census = STACK.rows().census(p.tenant());
    for (String key : List.of("", "k".repeat(256), "with space", "tab\tinside")) {
      BadInputTest.assertProblem(s.send(STACK.api(), p, 0, key), 400, "invalid_request");
    }
    assertEquals(census, STACK.rows().census(p.tenant()), "nothing written");
    assertEquals(0, s.effects(STACK.rows(), p.tenant()));
  }

  @Test
  void keylessRepeatOfTheLatestContentIsDedupedButARevertIsNew() {
    WriteScenario s = WriteScenario.CREATE_DOCUMENT_VERSION;
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), "idem-dedupe");
    Api.Response first = s.send(STACK.api(), p, 0, null);
    assertEquals(201, first.status());
    String census = STACK.rows().census(p.tenant());
    Api.Response again = s.send(STACK.api(), p, 0, null);
    assertEquals(200, again.status(), again.toString());
    assertEquals("true", again.header("Idempotent-Replayed"));
    assertEquals(first.json().get("version"), again.json().get("version"));
    assertEquals(census, STACK.rows().census(p.tenant()), "the dedupe writes nothing");
    assertEquals(201, s.send(STACK.api(), p, 1, null).status());
    Api.Response revert = s.send(STACK.api(), p, 0, null);
    assertEquals(201, revert.status(), "a revert to older content is a new version");
    assertEquals(6, revert.json().at("/version/version").asLong());
    assertEquals(3, s.effects(STACK.rows(), p.tenant()));
  }

  /**
   * The keyless dedupe answers only a request that would change nothing: the same bytes and the
   * same contentType as the latest version, which is live, and either activate false or that
   * version already active. Asking to activate, or to store another type, is a real write.
   */
  @Test
  void keylessDedupeOnlyWhenTheRequestWouldChangeNothing() {
    String tenant = "idem-dedupe-rule";
    Api.Response created = STACK.api().post(Operation.CREATE_DOCUMENT).tenant(tenant)
        .json(Map.of("title", "dedupe", "content", "A")).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().at("/document/documentId").asText();
    assertVersion(addVersion(tenant, id, "B", null, false), 201, 2, 1);
    String census = STACK.rows().census(tenant);
    assertVersion(addVersion(tenant, id, "B", null, false), 200, 2, 1);
    assertEquals(census, STACK.rows().census(tenant), "the dedupe writes nothing");
    // Activation asked for and not yet done: a new, active version.
    assertVersion(addVersion(tenant, id, "B", null, true), 201, 3, 3);
    // Now the latest is active: activate (by default, or explicitly false) changes nothing.
    assertVersion(addVersion(tenant, id, "B", null, null), 200, 3, 3);
    assertVersion(addVersion(tenant, id, "B", null, false), 200, 3, 3);
    // Another contentType, even for the same bytes: a new version with that type.
    assertVersion(addVersion(tenant, id, "B", "text/markdown", null), 201, 4, 4);
    assertVersion(addVersion(tenant, id, "B", "text/markdown", true), 200, 4, 4);
    // contentType is compared exactly as stored, and the default is a type like any other.
    assertVersion(addVersion(tenant, id, "B", "text/plain; charset=utf-8", null), 201, 5, 5);
    assertVersion(addVersion(tenant, id, "B", "text/plain;charset=utf-8", null), 201, 6, 6);
    assertVersion(addVersion(tenant, id, "B", "text/plain;charset=utf-8", false), 200, 6, 6);
    assertEquals(6, STACK.rows().count("AnalyticsOutbox", tenant),
        "one event per real write (the create and five versions), none for a dedupe");
  }

  private static Api.Response addVersion(String tenant, String id, String content,
      String contentType, Boolean activate) {
    Map<String, Object> body = new HashMap<>(Map.of("documentId", id, "content", content));
    if (contentType != null) {
      body.put("contentType", contentType);
    }
    if (activate != null) {
      body.put("activate", activate);
    }
    return STACK.api().post(Operation.CREATE_DOCUMENT_VERSION).tenant(tenant).json(body).send();
  }

  private static void assertVersion(Api.Response response, int status, long version,
      long active) {
    assertEquals(status, response.status(), response.toString());
    assertEquals(status == 200, response.replayed(), "a dedupe says Idempotent-Replayed");
    assertEquals(version, response.json().at("/version/version").asLong(), response.toString());
    assertEquals(active, response.json().at("/document/activeVersion").asLong(),
        response.toString());
  }

  @Test
  void spannerRoundTripsPerWrite() {
    WriteScenario s = WriteScenario.SET_ACTIVE_VERSION;
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), "idem-rpc");
    STACK.local().docstore().failpoints()
        .set(SET_ACTIVE_VERSION.failpoint(AFTER_COMMIT_BEFORE_PUBLISH), "1*error");
    int tagsBefore = STACK.rpcs().commitTags().size();
    List<String> first = RpcCounter.names(
        STACK.rpcs().during(() -> s.send(STACK.api(), p, 0, "rpc-key")));
    List<String> tags = STACK.rpcs().commitTags();
    assertEquals(List.of("setActiveVersion"), tags.subList(tagsBefore, tags.size()),
        "the write's transaction is tagged with its function's name");
    List<String> replay = STACK.rpcs().during(() -> s.send(STACK.api(), p, 0, "rpc-key"));
    System.out.println("RPCS first write (transaction only): " + first);
    System.out.println("RPCS replay: " + replay);
    assertEquals(List.of("ExecuteStreamingSql", "Commit"), first,
        "inline begin with the key read, then commit");
    assertTrue(replay.size() <= 2, "replay: " + replay);
    List<String> published = RpcCounter.names(
        STACK.rpcs().during(() -> s.send(STACK.api(), p, 1, "rpc-key-2")));
    System.out.println("RPCS first write with its post-commit publish: " + published);
    assertEquals(List.of("ExecuteStreamingSql", "Commit"), published,
        "the publish adds no Spanner round trip: the relay settles the outbox row later");
  }

  @ParameterizedTest
  @EnumSource(WriteScenario.class)
  void aReplayMakesNoStorageCall(WriteScenario s) {
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(),
        tenant(s, "storage"));
    Api.Response first = s.send(STACK.api(), p, 0, "storage-key");
    assertEquals(s.successStatus(), first.status(), first.toString());
    Api.Response[] replay = new Api.Response[1];
    StorageCalls.Reading storage = STACK.local().storageCalls().during(
        () -> replay[0] = s.send(STACK.api(), p, 0, "storage-key"));
    assertEquals(first.status(), replay[0].status(), replay[0].toString());
    assertTrue(replay[0].replayed(), replay[0].toString());
    assertArrayEquals(first.body(), replay[0].body(), "byte-identical body");
    assertEquals(new StorageCalls.Reading(0, 0), storage, "no upload, restore or delete");
    StorageCalls.Reading reused = STACK.local().storageCalls().during(() ->
        BadInputTest.assertProblem(s.send(STACK.api(), p, 1, "storage-key"), 409,
            "idempotency_key_reused"));
    assertEquals(new StorageCalls.Reading(0, 0), reused, "a reused key neither");
    assertEquals(1, s.effects(STACK.rows(), p.tenant()));
  }

  @Test
  void anUploadsReplayIsOneKeyReadLoggedAsAReplay() {
    WriteScenario s = WriteScenario.CREATE_DOCUMENT_VERSION;
    WriteScenario.Prepared p = s.prepareCounted(STACK.api(), STACK.rows(), "idem-early");
    Api.Response first = s.send(STACK.api(), p, 0, "early-key");
    assertEquals(s.successStatus(), first.status(), first.toString());
    try (LogCapture logs = new LogCapture()) {
      String requestId = "idem-early-replay";
      List<String> replay = RpcCounter.roundTrips(STACK.rpcs().during(() -> assertTrue(
          STACK.api().post(s.operation).tenant(p.tenant()).key("early-key")
              .header("X-Request-Id", requestId).json(s.body(p, 0)).send().replayed())));
      assertEquals(1, replay.size(), "one single-use read of the key: " + replay);
      List<com.fasterxml.jackson.databind.JsonNode> lines = logs.forRequest(requestId);
      assertEquals(List.of("BEGIN", "COMMIT"), LogCapture.messages(lines).stream()
          .filter(m -> m.equals("BEGIN") || m.equals("COMMIT") || m.equals("ROLLBACK")
              || m.startsWith("STORAGE")).toList(), LogCapture.messages(lines).toString());
      assertTrue(lines.stream().anyMatch(l -> l.path("message").asText().equals("COMMIT")
          && l.path("outcome").asText().equals("replay")
          && l.path("documentId").asText().equals(p.documentId())
          && !l.path("commitTimestamp").asText().isEmpty()), "COMMIT, outcome replay");
    }
  }
}

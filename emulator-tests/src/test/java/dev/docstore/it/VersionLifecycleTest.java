package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;
import static dev.docstore.api.Step.BEFORE_COMMIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.api.Operation;
import dev.docstore.input.Sha256;
import dev.docstore.store.ContentStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionLifecycleTest {
  @RegisterExtension
  static final Stack STACK = new Stack();

  private static String create(String tenant, String content) {
    Api.Response r = STACK.api().post(CREATE_DOCUMENT).tenant(tenant)
        .json(Map.of("title", "Lifecycle", "content", content)).send();
    assertEquals(201, r.status(), r.toString());
    return r.json().at("/document/documentId").asText();
  }

  private static Api.Response addVersion(String tenant, String id, String content,
      Boolean activate) {
    Map<String, Object> body = new HashMap<>(Map.of("documentId", id, "content", content));
    if (activate != null) {
      body.put("activate", activate);
    }
    return STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(tenant).json(body).send();
  }

  private static Api.Response target(Operation function, String tenant, String id, long version) {
    return STACK.api().post(function).tenant(tenant)
        .json(Map.of("documentId", id, "version", version)).send();
  }

  private static Api.Response content(String tenant, String id, long version) {
    return STACK.api().get(GET_VERSION_CONTENT).tenant(tenant)
        .query("documentId=" + id + "&version=" + version).send();
  }

  private static JsonNode document(String tenant, String id) {
    Api.Response r = STACK.api().get(GET_DOCUMENT).tenant(tenant).query("documentId=" + id)
        .send();
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void fullLifecycle() {
    String t = "lifecycle";
    STACK.events().drain(200);
    String id = create(t, "one");
    Api.Response v2 = addVersion(t, id, "two", null);
    assertEquals(201, v2.status(), v2.toString());
    assertEquals(2, v2.json().at("/version/version").asLong());
    assertEquals(2, v2.json().at("/document/activeVersion").asLong(), "activate defaults to true");
    Api.Response v3 = addVersion(t, id, "three", false);
    assertEquals(201, v3.status());
    assertEquals(3, v3.json().at("/document/latestVersion").asLong());
    assertEquals(2, v3.json().at("/document/activeVersion").asLong(), "activate: false");

    Api.Response activated = target(SET_ACTIVE_VERSION, t, id, 3);
    assertEquals(200, activated.status(), activated.toString());
    assertEquals(3, activated.json().at("/document/activeVersion").asLong());
    assertNull(activated.json().get("version"));

    Api.Response deleted = target(DELETE_DOCUMENT_VERSION, t, id, 1);
    assertEquals(200, deleted.status(), deleted.toString());
    assertEquals("DELETED", deleted.json().at("/version/state").asText());
    assertFalse(deleted.json().at("/version/deletedAt").asText().isEmpty());
    assertEquals(404, content(t, id, 1).status(), "a deleted version's content is 404");
    assertEquals("not_found", content(t, id, 1).code());

    Api.Response activeDelete = target(DELETE_DOCUMENT_VERSION, t, id, 3);
    assertEquals(409, activeDelete.status());
    assertEquals("version_is_active", activeDelete.code());
    Api.Response activateDeleted = target(SET_ACTIVE_VERSION, t, id, 1);
    assertEquals(409, activateDeleted.status());
    assertEquals("version_state", activateDeleted.code());
    assertEquals(404, target(SET_ACTIVE_VERSION, t, id, 9).status());

    JsonNode listed = document(t, id);
    List<String> states = new ArrayList<>();
    listed.get("versions").forEach(v -> states.add(v.get("version").asLong() + ":"
        + v.get("state").asText()));
    assertEquals(List.of("1:DELETED", "2:LIVE", "3:LIVE"), states);

    Api.Response restored = target(RESTORE_DOCUMENT_VERSION, t, id, 1);
    assertEquals(200, restored.status(), restored.toString());
    assertEquals("LIVE", restored.json().at("/version/state").asText());
    assertTrue(restored.json().at("/version/deletedAt").isMissingNode());
    Api.Response again = target(RESTORE_DOCUMENT_VERSION, t, id, 1);
    assertEquals(409, again.status());
    assertEquals("version_state", again.code());

    assertArrayEquals(utf8("one"), content(t, id, 1).body());
    assertArrayEquals(utf8("two"), content(t, id, 2).body());
    assertArrayEquals(utf8("three"), content(t, id, 3).body());

    List<String> types = new ArrayList<>();
    STACK.events().drainJson().forEach(e -> types.add(e.get("type").asText() + "@"
        + e.path("version").asLong()));
    types.sort(null);
    assertEquals(new TreeSet<>(List.of("document.created@1", "version.created@2",
        "version.created@3", "version.activated@3", "version.deleted@1",
        "version.restored@1")), new TreeSet<>(types));
    assertEquals(6, types.size(), "one event per committed write, none for rejections");
  }

  @Test
  void identicalContentSharesOneObjectAndDeletingOneKeepsTheOther() {
    String t = "shared";
    String id = create(t, "same bytes");
    assertEquals(201, addVersion(t, id, "different", null).status());
    assertEquals(201, addVersion(t, id, "same bytes", false).status());
    String object = ContentStore.objectName(t, id,
        Sha256.hex(utf8("same bytes")));

    assertEquals(200, target(DELETE_DOCUMENT_VERSION, t, id, 3).status());
    assertArrayEquals(utf8("same bytes"), content(t, id, 1).body(),
        "the other version's content stays readable");
    assertTrue(STACK.local().docstore().content().liveGeneration(object).isPresent());

    assertEquals(200, target(DELETE_DOCUMENT_VERSION, t, id, 1).status());
    assertTrue(STACK.local().docstore().content().liveGeneration(object).isEmpty(),
        "the last live reference gone, the object is deleted after commit");

    assertEquals(200, target(RESTORE_DOCUMENT_VERSION, t, id, 3).status());
    assertArrayEquals(utf8("same bytes"), content(t, id, 3).body(), "soft-delete restore");
    assertEquals(200, target(RESTORE_DOCUMENT_VERSION, t, id, 1).status());
    assertArrayEquals(utf8("same bytes"), content(t, id, 1).body());
  }

  @Test
  void sixteenConcurrentWritersGetVersionsTwoToSeventeenOnce() throws Exception {
    String t = "contention";
    String id = create(t, "base");
    List<Api.Response> responses = CreateDocumentTest.parallel(16,
        i -> addVersion(t, id, "writer " + i, null));
    Set<Long> numbers = new TreeSet<>();
    for (Api.Response r : responses) {
      assertEquals(201, r.status(), r.toString());
      numbers.add(r.json().at("/version/version").asLong());
    }
    Set<Long> expected = new TreeSet<>();
    for (long n = 2; n <= 17; n++) {
      expected.add(n);
    }
    assertEquals(expected, numbers);
    assertEquals(17, document(t, id).at("/document/latestVersion").asLong());
  }

  @Test
  void concurrentActivateAndDeleteNeverLeaveTheActiveVersionDeleted() throws Exception {
    String t = "races";
    String id = create(t, "v1");
    for (int i = 2; i <= 6; i++) {
      assertEquals(201, addVersion(t, id, "v" + i, false).status());
    }
    for (int round = 0; round < 3; round++) {
      List<Api.Response> responses = CreateDocumentTest.parallel(12, i -> {
        long version = 1 + (i % 6);
        return i % 2 == 0 ? target(SET_ACTIVE_VERSION, t, id, version)
            : target(DELETE_DOCUMENT_VERSION, t, id, version);
      });
      for (Api.Response r : responses) {
        assertTrue(r.status() == 200 || r.status() == 409, r.toString());
      }
      JsonNode doc = document(t, id);
      long active = doc.at("/document/activeVersion").asLong();
      doc.get("versions").forEach(v -> {
        if (v.get("version").asLong() == active) {
          assertEquals("LIVE", v.get("state").asText(), "the active version is live");
        }
      });
      // Bring everything back for the next round.
      for (long v = 1; v <= 6; v++) {
        target(RESTORE_DOCUMENT_VERSION, t, id, v);
      }
    }
  }

  @Test
  void concurrentRestoresOfOneVersionReplayOrSeeItLiveNeverUnrecoverable() throws Exception {
    String t = "restore-race";
    String id = create(t, "v1");
    assertEquals(201, addVersion(t, id, "restored many times", false).status());
    for (int round = 0; round < 3; round++) {
      assertEquals(200, target(DELETE_DOCUMENT_VERSION, t, id, 2).status());
      String key = "restore-" + round;
      // Half share one key (one effect, the rest replay it), half have their own (the losers
      // see a live version): all race the object restore before their transaction.
      List<Api.Response> responses = CreateDocumentTest.parallel(8, i -> STACK.api()
          .post(RESTORE_DOCUMENT_VERSION).tenant(t)
          .key(i % 2 == 0 ? key : key + "-" + i)
          .json(Map.of("documentId", id, "version", 2)).send());
      int restored = 0;
      for (Api.Response r : responses) {
        if (r.status() == 200 && r.header("Idempotent-Replayed") == null) {
          restored++;
        } else if (r.status() != 200) {
          assertEquals(409, r.status(), r.toString());
          assertEquals("version_state", r.json().get("code").asText(), r.toString());
          assertFalse(r.toString().contains("no longer recoverable"), r.toString());
        }
      }
      assertEquals(1, restored, "exactly one restore took effect: " + responses);
      assertArrayEquals(utf8("restored many times"), content(t, id, 2).body());
    }
  }

  @Test
  void failureAfterUploadBeforeCommitLeavesNoVersionAndTheOrphanIsNeverReferenced() {
    String t = "rollback";
    String id = create(t, "kept");
    STACK.events().drain(200);
    STACK.local().docstore().failpoints().set(CREATE_DOCUMENT_VERSION.failpoint(BEFORE_COMMIT), "1*error");
    Api.Response failed = addVersion(t, id, "orphan content", null);
    assertEquals(503, failed.status(), failed.toString());
    assertEquals(1, STACK.rows().count("DocumentVersions", t));
    assertEquals(1, document(t, id).at("/document/latestVersion").asLong());
    assertTrue(STACK.events().drainJson().isEmpty());
    String orphan = ContentStore.objectName(t, id,
        Sha256.hex(utf8("orphan content")));
    assertTrue(STACK.local().docstore().content().liveGeneration(orphan).isEmpty(),
        "the upload preceded the transaction; the failed request removed it");
    assertEquals(0, STACK.rows().queryLong("SELECT COUNT(*) FROM DocumentVersions WHERE"
        + " TenantId = @t AND ObjectName = '" + orphan + "'", t), "never referenced");
  }

  @Test
  void aVersionForAMissingDocumentIs404AndLeavesNoObject() {
    String t = "missing-document";
    String missing = java.util.UUID.randomUUID().toString();
    Api.Response r = addVersion(t, missing, "lost content", null);
    assertEquals(404, r.status(), r.toString());
    assertEquals("not_found", r.code());
    String object = ContentStore.objectName(t, missing,
        Sha256.hex(utf8("lost content")));
    assertTrue(STACK.local().docstore().content().liveGeneration(object).isEmpty(),
        "the upload made for a request that committed nothing is removed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"documentId\":\"%s\",\"version\":0}",
      "{\"documentId\":\"%s\",\"version\":-1}", "{\"documentId\":\"%s\",\"version\":\"2\"}",
      "{\"documentId\":\"%s\",\"version\":1.5}", "{\"documentId\":\"%s\"}",
      "{\"documentId\":\"not-a-uuid\",\"version\":1}",
      "{\"documentId\":\"%s\",\"version\":1,\"extra\":true}"})
  void badTargetsAre400AndChangeNothing(String template) {
    String t = "bad-targets";
    String id = create(t, "x");
    String before = STACK.rows().census(t);
    for (Operation function : List.of(SET_ACTIVE_VERSION, DELETE_DOCUMENT_VERSION,
        RESTORE_DOCUMENT_VERSION)) {
      Api.Response r = STACK.api().post(function).tenant(t)
          .json(template.formatted(id)).send();
      BadInputTest.assertProblem(r, 400, "invalid_request");
    }
    Api.Response badVersion = STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(t)
        .json("{\"documentId\":\"" + id + "\",\"content\":\"x\",\"activate\":\"yes\"}").send();
    BadInputTest.assertProblem(badVersion, 400, "invalid_request");
    assertEquals(before, STACK.rows().census(t));
  }

  @Test
  void aMissingDocumentIs404ForEveryVersionWrite() {
    String t = "missing";
    String missing = "7b0c9a7e-1111-4222-8333-444455556666";
    BadInputTest.assertProblem(addVersion(t, missing, "x", null), 404, "not_found");
    for (Operation function : List.of(SET_ACTIVE_VERSION, DELETE_DOCUMENT_VERSION,
        RESTORE_DOCUMENT_VERSION)) {
      BadInputTest.assertProblem(target(function, t, missing, 1), 404, "not_found");
    }
    assertEquals(0, STACK.rows().count("Documents", t));
  }
}

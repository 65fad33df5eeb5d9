package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT;
import static dev.docstore.api.Operation.DELETE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;
import static dev.docstore.api.Operation.UPDATE_DOCUMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import dev.docstore.api.Operation;
import dev.docstore.input.Sha256;
import dev.docstore.store.ContentStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rename, trash and restore, the read-only trash, and the document etag with its If-Match
 * preconditions, against the real emulators.
 */
class DocumentLifecycleTest {
  @RegisterExtension
  static final Stack STACK = new Stack();

  private static String create(String tenant) {
    Api.Response r = STACK.api().post(CREATE_DOCUMENT).tenant(tenant)
        .json(Map.of("title", "Lifecycle", "content", "one")).send();
    assertEquals(201, r.status(), r.toString());
    assertEquals(r.json().at("/document/etag").asText(), r.header("ETag"));
    return r.json().at("/document/documentId").asText();
  }

  private static Api.Response onDocument(Operation op, String tenant, String id) {
    return STACK.api().post(op).tenant(tenant).json(Map.of("documentId", id)).send();
  }

  private static Api.Response rename(String tenant, String id, String title) {
    return STACK.api().post(UPDATE_DOCUMENT).tenant(tenant)
        .json(Map.of("documentId", id, "title", title)).send();
  }

  private static JsonNode get(String tenant, String id) {
    Api.Response r = STACK.api().get(GET_DOCUMENT).tenant(tenant).query("documentId=" + id)
        .send();
    assertEquals(200, r.status(), r.toString());
    assertEquals(r.json().at("/document/etag").asText(), r.header("ETag"),
        "the ETag header is the document's etag");
    return r.json();
  }

  private static String etag(String tenant, String id) {
    return get(tenant, id).at("/document/etag").asText();
  }

  private static List<String> listed(String tenant, String query) {
    Api.Request request = STACK.api().get(LIST_DOCUMENTS).tenant(tenant);
    if (query != null) {
      request.query(query);
    }
    Api.Response r = request.send();
    assertEquals(200, r.status(), r.toString());
    List<String> ids = new ArrayList<>();
    r.json().get("documents").forEach(d -> ids.add(d.get("documentId").asText()));
    return ids;
  }

  /**
   * No stray object: the objects under the document's prefix are exactly those its live versions
   * name (a deleted version's object is gone unless a live one shares it).
   */
  private static void assertObjectsAreThoseOfItsLiveVersions(String tenant, String id) {
    Set<String> named = new TreeSet<>();
    get(tenant, id).get("versions").forEach(v -> {
      if (v.get("state").asText().equals("LIVE")) {
        named.add(ContentStore.objectName(tenant, id, v.get("contentSha256").asText()));
      }
    });
    assertEquals(named, new TreeSet<>(STACK.local().docstore().content()
        .objectNamesUnder(ContentStore.documentPrefix(tenant, id))), "the objects of " + id);
  }

  /** A document with versions 1 (active), 2 (live) and 3 (deleted), as every write needs. */
  private static String documentWithVersions(String tenant) {
    String id = create(tenant);
    for (String content : List.of("two", "three")) {
      assertEquals(201, STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(tenant)
          .json(Map.of("documentId", id, "content", content, "activate", false)).send()
          .status());
    }
    assertEquals(200, STACK.api().post(DELETE_DOCUMENT_VERSION).tenant(tenant)
        .json(Map.of("documentId", id, "version", 3)).send().status());
    return id;
  }

  /** A valid body of each write on an existing document, for the document of {@link #documentWithVersions}. */
  private static Map<String, Object> validBody(Operation op, String id) {
    return switch (op) {
      case CREATE_DOCUMENT_VERSION -> Map.of("documentId", id, "content", "four");
      case SET_ACTIVE_VERSION -> Map.of("documentId", id, "version", 2);
      case DELETE_DOCUMENT_VERSION -> Map.of("documentId", id, "version", 2);
      case RESTORE_DOCUMENT_VERSION -> Map.of("documentId", id, "version", 3);
      case UPDATE_DOCUMENT -> Map.of("documentId", id, "title", "Renamed");
      case DELETE_DOCUMENT, RESTORE_DOCUMENT -> Map.of("documentId", id);
      default -> throw new IllegalArgumentException(op.functionName());
    };
  }

  @Test
  void renameTrashAndRestore() {
    String t = "doc-lifecycle";
    String id = create(t);
    JsonNode before = get(t, id).get("document");
    assertEquals("LIVE", before.get("state").asText());
    assertTrue(before.path("trashedAt").isMissingNode());

    Api.Response renamed = rename(t, id, "Quarterly plan, final");
    assertEquals(200, renamed.status(), renamed.toString());
    assertEquals("Quarterly plan, final", renamed.json().at("/document/title").asText());
    assertNull(renamed.json().get("version"), "a rename answers {document}");
    assertNotEquals(before.get("etag").asText(), renamed.json().at("/document/etag").asText());
    assertEquals(renamed.json().at("/document/etag").asText(), renamed.header("ETag"));
    assertEquals("Quarterly plan, final", get(t, id).at("/document/title").asText());
    assertTrue(listed(t, null).contains(id));

    Api.Response trashed = onDocument(DELETE_DOCUMENT, t, id);
    assertEquals(200, trashed.status(), trashed.toString());
    assertEquals("TRASHED", trashed.json().at("/document/state").asText());
    assertFalse(trashed.json().at("/document/trashedAt").asText().isEmpty());
    assertFalse(listed(t, null).contains(id), "the trash is hidden by default");
    assertFalse(listed(t, "state=LIVE").contains(id));
    assertEquals(List.of(id), listed(t, "state=TRASHED"));
    // Reads still answer, and show the state.
    assertEquals("TRASHED", get(t, id).at("/document/state").asText());
    Api.Response content = STACK.api().get(GET_VERSION_CONTENT).tenant(t)
        .query("documentId=" + id + "&version=1").send();
    assertEquals(200, content.status(), content.toString());
    assertEquals("one", content.text());

    Api.Response twice = onDocument(DELETE_DOCUMENT, t, id);
    BadInputTest.assertProblem(twice, 409, "document_state");

    Api.Response restored = onDocument(RESTORE_DOCUMENT, t, id);
    assertEquals(200, restored.status(), restored.toString());
    assertEquals("LIVE", restored.json().at("/document/state").asText());
    assertTrue(restored.json().at("/document/trashedAt").isMissingNode());
    assertEquals("Quarterly plan, final", restored.json().at("/document/title").asText());
    assertTrue(listed(t, null).contains(id));
    assertEquals(List.of(), listed(t, "state=TRASHED"));
    BadInputTest.assertProblem(onDocument(RESTORE_DOCUMENT, t, id), 409, "document_state");

    assertEquals(List.of("document.created", "document.updated", "document.trashed",
        "document.restored"), outboxTypes(t));
  }

  private static List<String> outboxTypes(String tenant) {
    List<String> types = new ArrayList<>();
    try (ResultSet rs = STACK.rows().client().singleUse().executeQuery(
        Statement.newBuilder("SELECT Type FROM AnalyticsOutbox"
            + " WHERE TenantId = @t ORDER BY OccurredAt").bind("t").to(tenant).build())) {
      while (rs.next()) {
        types.add(rs.getString(0));
      }
    }
    return types;
  }

  @Test
  void aRefusedVersionRestoreBringsNoDeletedContentBack() {
    String t = "restore-refused";
    String id = documentWithVersions(t);
    String sha = get(t, id).at("/versions/2/contentSha256").asText();
    String object = ContentStore.objectName(t, id, sha);
    assertTrue(STACK.local().docstore().content().read(object).isEmpty(), "v3 is deleted");
    BadInputTest.assertProblem(STACK.api().post(RESTORE_DOCUMENT_VERSION).tenant(t)
        .header("If-Match", "\"stale\"").json(Map.of("documentId", id, "version", 3)).send(),
        412, "precondition_failed");
    assertTrue(STACK.local().docstore().content().read(object).isEmpty(),
        "a 412 restored nothing in storage");
    assertEquals(200, onDocument(DELETE_DOCUMENT, t, id).status());
    BadInputTest.assertProblem(STACK.api().post(RESTORE_DOCUMENT_VERSION).tenant(t)
        .json(Map.of("documentId", id, "version", 3)).send(), 409, "document_state");
    assertTrue(STACK.local().docstore().content().read(object).isEmpty(),
        "the trash is read-only, in storage too");
    assertEquals(200, onDocument(RESTORE_DOCUMENT, t, id).status());
    assertEquals(200, STACK.api().post(RESTORE_DOCUMENT_VERSION).tenant(t)
        .json(Map.of("documentId", id, "version", 3)).send().status());
    assertEquals("three", new String(STACK.local().docstore().content().read(object)
        .orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void listingTheTrashRefusesAnUnknownStateAndATokenOfTheOtherList() {
    String t = "doc-list-states";
    for (int i = 0; i < 3; i++) {
      String id = create(t);
      create(t);
      assertEquals(200, onDocument(DELETE_DOCUMENT, t, id).status());
    }
    BadInputTest.assertProblem(STACK.api().get(LIST_DOCUMENTS).tenant(t).query("state=trashed")
        .send(), 400, "invalid_request");
    BadInputTest.assertProblem(STACK.api().get(LIST_DOCUMENTS).tenant(t).query("state=ALL")
        .send(), 400, "invalid_request");
    Api.Response page = STACK.api().get(LIST_DOCUMENTS).tenant(t).query("pageSize=2").send();
    String token = page.json().get("nextPageToken").asText();
    BadInputTest.assertProblem(STACK.api().get(LIST_DOCUMENTS).tenant(t)
        .query("state=TRASHED&pageToken=" + token).send(), 400, "invalid_request");
    Api.Response trash = STACK.api().get(LIST_DOCUMENTS).tenant(t)
        .query("state=TRASHED&pageSize=2").send();
    String trashToken = trash.json().get("nextPageToken").asText();
    Api.Response rest = STACK.api().get(LIST_DOCUMENTS).tenant(t)
        .query("state=TRASHED&pageToken=" + trashToken).send();
    assertEquals(200, rest.status(), rest.toString());
    assertEquals(1, rest.json().get("documents").size());
    assertEquals(3, listed(t, null).size());
  }

  @ParameterizedTest
  @EnumSource(value = Operation.class, names = {"CREATE_DOCUMENT_VERSION", "SET_ACTIVE_VERSION",
      "DELETE_DOCUMENT_VERSION", "RESTORE_DOCUMENT_VERSION", "UPDATE_DOCUMENT"})
  void everyWriteOnATrashedDocumentIs409AndWritesNothing(Operation op) {
    String t = "trash-ro-" + op.ordinal();
    String id = documentWithVersions(t);
    assertEquals(200, onDocument(DELETE_DOCUMENT, t, id).status());
    String census = STACK.rows().census(t);
    String etag = etag(t, id);
    for (String key : new String[] {null, "trash-key"}) {
      Api.Request request = STACK.api().post(op).tenant(t).json(validBody(op, id));
      if (key != null) {
        request.key(key);
      }
      BadInputTest.assertProblem(request.send(), 409, "document_state");
    }
    assertEquals(census, STACK.rows().census(t), "nothing was written");
    assertEquals(etag, etag(t, id));
    assertObjectsAreThoseOfItsLiveVersions(t, id);
    // Out of the trash, the same write succeeds, with the same key: the 409 stored nothing.
    assertEquals(200, onDocument(RESTORE_DOCUMENT, t, id).status());
    Api.Response retried = STACK.api().post(op).tenant(t).key("trash-key")
        .json(validBody(op, id)).send();
    assertTrue(retried.status() == 200 || retried.status() == 201, retried.toString());
    assertFalse(retried.replayed());
    assertObjectsAreThoseOfItsLiveVersions(t, id);
  }

  @ParameterizedTest
  @EnumSource(value = Operation.class, names = {"CREATE_DOCUMENT_VERSION", "SET_ACTIVE_VERSION",
      "DELETE_DOCUMENT_VERSION", "RESTORE_DOCUMENT_VERSION", "UPDATE_DOCUMENT",
      "DELETE_DOCUMENT"})
  void aStaleIfMatchIs412WithTheCurrentEtagAndWritesNothing(Operation op) {
    String t = "if-match-" + op.ordinal();
    String id = documentWithVersions(t);
    String current = etag(t, id);
    String census = STACK.rows().census(t);
    for (String stale : List.of("\"not-the-etag\"", "W/" + current, "\"a\", \"b\"")) {
      Api.Response refused = STACK.api().post(op).tenant(t).key("stale-" + stale.hashCode())
          .header("If-Match", stale).json(validBody(op, id)).send();
      BadInputTest.assertProblem(refused, 412, "precondition_failed");
      assertEquals(current, refused.json().get("etag").asText(), refused.toString());
    }
    assertEquals(census, STACK.rows().census(t), "a 412 writes nothing");

    Api.Response matched = STACK.api().post(op).tenant(t).header("If-Match", current)
        .json(validBody(op, id)).send();
    assertTrue(matched.status() == 200 || matched.status() == 201, matched.toString());
    String next = matched.json().at("/document/etag").asText();
    assertNotEquals(current, next, "every write changes the etag");
    assertEquals(next, matched.header("ETag"));
    assertEquals(next, etag(t, id));
  }

  @Test
  void getDocumentAnswers304WhileTheCallersCopyIsCurrent() {
    String t = "if-none-match";
    String id = create(t);
    String etag = etag(t, id);
    Api.Response same = STACK.api().get(GET_DOCUMENT).tenant(t).query("documentId=" + id)
        .header("If-None-Match", etag).send();
    assertEquals(304, same.status(), same.toString());
    assertEquals(0, same.body().length);
    assertEquals(etag, same.header("ETag"));
    assertEquals("private, no-cache", same.header("Cache-Control"));
    assertEquals(304, STACK.api().get(GET_DOCUMENT).tenant(t).query("documentId=" + id)
        .header("If-None-Match", "\"other\", W/" + etag).send().status(), "weak comparison");
    assertEquals(304, STACK.api().get(GET_DOCUMENT).tenant(t).query("documentId=" + id)
        .header("If-None-Match", "*").send().status());
    assertEquals(200, rename(t, id, "Changed").status());
    Api.Response changed = STACK.api().get(GET_DOCUMENT).tenant(t).query("documentId=" + id)
        .header("If-None-Match", etag).send();
    assertEquals(200, changed.status(), changed.toString());
    assertEquals("Changed", changed.json().at("/document/title").asText());
    assertNotEquals(etag, changed.header("ETag"));
    // Another tenant's document is 404 whatever the precondition: a 304 would reveal it.
    BadInputTest.assertProblem(STACK.api().get(GET_DOCUMENT).tenant("someone-else")
        .query("documentId=" + id).header("If-None-Match", "*").send(), 404, "not_found");
  }

  @Test
  void ifMatchStarAndAListContainingTheEtagMatch() {
    String t = "if-match-any";
    String id = create(t);
    Api.Response star = STACK.api().post(UPDATE_DOCUMENT).tenant(t).header("If-Match", "*")
        .json(Map.of("documentId", id, "title", "Star")).send();
    assertEquals(200, star.status(), star.toString());
    String current = star.json().at("/document/etag").asText();
    Api.Response list = STACK.api().post(UPDATE_DOCUMENT).tenant(t)
        .header("If-Match", "\"old\", " + current)
        .json(Map.of("documentId", id, "title", "Listed")).send();
    assertEquals(200, list.status(), list.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"no-quotes", "\"unterminated", "\"a\" \"b\""})
  void aMalformedIfMatchIs400(String value) {
    String t = "if-match-bad";
    String id = create(t);
    String census = STACK.rows().census(t);
    BadInputTest.assertProblem(STACK.api().post(UPDATE_DOCUMENT).tenant(t)
        .header("If-Match", value).json(Map.of("documentId", id, "title", "x")).send(), 400,
        "invalid_request");
    assertEquals(census, STACK.rows().census(t));
  }

  @Test
  void createDocumentTakesNoIfMatch() {
    String t = "if-match-create";
    BadInputTest.assertProblem(STACK.api().post(CREATE_DOCUMENT).tenant(t).header("If-Match", "*")
        .json(Map.of("title", "New", "content", "x")).send(), 400, "invalid_request");
    assertEquals(0, STACK.rows().count("Documents", t));
  }

  @Test
  void theEtagChangesOnEveryChangeToTheDocumentOrItsVersions() {
    String t = "etag-changes";
    String id = create(t);
    Set<String> seen = new HashSet<>();
    seen.add(etag(t, id));
    assertEquals(etag(t, id), etag(t, id), "a read changes nothing");
    List<java.util.function.Supplier<Api.Response>> writes = List.of(
        () -> STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(t)
            .json(Map.of("documentId", id, "content", "two", "activate", false)).send(),
        () -> STACK.api().post(SET_ACTIVE_VERSION).tenant(t)
            .json(Map.of("documentId", id, "version", 2)).send(),
        () -> STACK.api().post(DELETE_DOCUMENT_VERSION).tenant(t)
            .json(Map.of("documentId", id, "version", 1)).send(),
        () -> STACK.api().post(RESTORE_DOCUMENT_VERSION).tenant(t)
            .json(Map.of("documentId", id, "version", 1)).send(),
        () -> rename(t, id, "Renamed"),
        () -> rename(t, id, "Renamed"),
        () -> onDocument(DELETE_DOCUMENT, t, id),
        () -> onDocument(RESTORE_DOCUMENT, t, id));
    for (java.util.function.Supplier<Api.Response> write : writes) {
      Api.Response w = write.get();
      assertTrue(w.ok(), w.toString());
      assertTrue(seen.add(w.json().at("/document/etag").asText()), "a new etag: " + w);
      assertEquals(w.json().at("/document/etag").asText(), etag(t, id));
    }
    String other = create(t);
    assertFalse(seen.contains(etag(t, other)), "another document never shares an etag");
  }

  @Test
  void ifMatchIsPartOfTheRequestAndAReplayAnswersWhatTheFirstAnswered() {
    String t = "if-match-replay";
    String id = create(t);
    String e1 = etag(t, id);
    Api.Response first = STACK.api().post(UPDATE_DOCUMENT).tenant(t).key("rename-1")
        .header("If-Match", e1).json(Map.of("documentId", id, "title", "First")).send();
    assertEquals(200, first.status(), first.toString());
    String e2 = first.json().at("/document/etag").asText();
    assertEquals(200, rename(t, id, "Moved on").status());
    String e3 = etag(t, id);

    Api.Response replay = STACK.api().post(UPDATE_DOCUMENT).tenant(t).key("rename-1")
        .header("If-Match", e1).json(Map.of("documentId", id, "title", "First")).send();
    assertEquals(200, replay.status(), replay.toString());
    assertTrue(replay.replayed());
    assertEquals(first.text(), replay.text(), "byte for byte the first answer");
    assertEquals(e2, replay.header("ETag"), "the etag the first answer carried");
    assertEquals("Moved on", get(t, id).at("/document/title").asText(), "nothing re-applied");

    BadInputTest.assertProblem(STACK.api().post(UPDATE_DOCUMENT).tenant(t).key("rename-1")
            .header("If-Match", e3).json(Map.of("documentId", id, "title", "First")).send(),
        409, "idempotency_key_reused");
    BadInputTest.assertProblem(STACK.api().post(UPDATE_DOCUMENT).tenant(t).key("rename-1")
            .json(Map.of("documentId", id, "title", "First")).send(),
        409, "idempotency_key_reused");
    assertEquals(e3, etag(t, id));
  }

  @Test
  void sixteenConcurrentCompareAndSwapsWithOneEtagMakeExactlyOneChange() throws Exception {
    String t = "cas";
    String id = create(t);
    for (int v = 2; v <= 17; v++) {
      assertEquals(201, STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(t)
          .json(Map.of("documentId", id, "content", "v" + v, "activate", false)).send()
          .status());
    }
    for (int n = 0; n < 2; n++) {
      int round = n;
      String etag = etag(t, id);
      long activatedBefore = activations(t);
      String census = STACK.rows().census(t);
      List<Api.Response> responses = CreateDocumentTest.parallel(16, i -> STACK.api()
          .post(SET_ACTIVE_VERSION).tenant(t).key("cas-" + round + "-" + i)
          .header("If-Match", etag).json(Map.of("documentId", id, "version", 2 + i)).send());
      List<Api.Response> won = responses.stream().filter(r -> r.status() == 200).toList();
      assertEquals(1, won.size(), responses.toString());
      for (Api.Response r : responses) {
        if (r.status() != 200) {
          BadInputTest.assertProblem(r, 412, "precondition_failed");
          assertEquals(won.get(0).json().at("/document/etag").asText(),
              r.json().get("etag").asText(), "the losers see the winner's etag");
        }
      }
      JsonNode document = get(t, id).get("document");
      assertEquals(won.get(0).json().at("/document/activeVersion").asLong(),
          document.get("activeVersion").asLong());
      assertEquals(activatedBefore + 1, activations(t), "exactly one change committed");
      assertNotEquals(census, STACK.rows().census(t));
    }
  }

  private static long activations(String tenant) {
    return STACK.rows().queryLong("SELECT COUNT(*) FROM AnalyticsOutbox WHERE TenantId = @t"
        + " AND Type = 'version.activated'", tenant);
  }

  @Test
  void concurrentTrashAndVersionWritesEndConsistent() throws Exception {
    String t = "trash-race";
    for (int n = 0; n < 3; n++) {
      int round = n;
      String id = create(t);
      IntFunction<String> content = i -> "round " + round + " writer " + i;
      List<Api.Response> responses = CreateDocumentTest.parallel(9, i -> i == 4
          ? STACK.api().post(DELETE_DOCUMENT).tenant(t).key("trash-" + round)
              .json(Map.of("documentId", id)).send()
          : STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(t).key("v-" + round + "-" + i)
              .json(Map.of("documentId", id, "content", content.apply(i))).send());
      Api.Response trash = responses.get(4);
      assertEquals(200, trash.status(), trash.toString());
      // Version number -> the sha256 of the content its writer sent, for every 201.
      Map<Long, String> expected = new TreeMap<>(Map.of(1L, Sha256.hex("one")));
      for (int i = 0; i < responses.size(); i++) {
        Api.Response r = responses.get(i);
        if (i == 4) {
          continue;
        }
        if (r.status() == 201) {
          String sha = Sha256.hex(content.apply(i));
          assertEquals(sha, r.json().at("/version/contentSha256").asText(), r.toString());
          assertNull(expected.put(r.json().at("/version/version").asLong(), sha),
              "two 201s with one version number: " + responses);
        } else {
          BadInputTest.assertProblem(r, 409, "document_state");
        }
      }
      JsonNode after = get(t, id);
      assertEquals("TRASHED", after.at("/document/state").asText());
      Map<Long, String> present = new TreeMap<>();
      after.get("versions").forEach(v -> present.put(v.get("version").asLong(),
          v.get("contentSha256").asText()));
      assertEquals(expected, present, "every 201 is present with its content, every 409 absent");
      assertEquals(expected.size(), after.at("/document/latestVersion").asLong());
      assertObjectsAreThoseOfItsLiveVersions(t, id);
      // A 409's key stored nothing (after a restore it would execute afresh), and no event.
      assertEquals(expected.size() - 1, STACK.rows().queryLong("SELECT COUNT(*)"
          + " FROM IdempotencyRecords WHERE TenantId = @t"
          + " AND STARTS_WITH(IdempotencyKey, 'v-" + round + "-')", t));
      assertEquals(expected.size() - 1, STACK.rows().queryLong("SELECT COUNT(*)"
          + " FROM AnalyticsOutbox WHERE TenantId = @t AND Type = 'version.created'"
          + " AND DocumentId = '" + id + "'", t));
      List<String> violations = STACK.invariants().violations();
      assertEquals(List.of(), violations);
    }
  }
}

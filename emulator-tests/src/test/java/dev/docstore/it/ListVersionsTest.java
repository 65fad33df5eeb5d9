package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT;
import static dev.docstore.api.Operation.DELETE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static dev.docstore.api.Operation.LIST_VERSIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Struct;
import dev.docstore.testing.RpcCounter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * listVersions, and getDocument's first 100 versions with the token that continues them. The
 * documents with more than 100 versions get their versions 2..n written directly to Spanner
 * (copies of version 1, sharing its object, as a re-upload of the same bytes would), which takes
 * one transaction instead of a hundred HTTP writes.
 */
class ListVersionsTest {
  @RegisterExtension
  static final Stack STACK = new Stack();
  private static final String MISSING = "0b7e6a52-5f0e-4a6b-9d3c-000000000000";

  /** A document with versions 1..{@code versions}; every seventh one from 7 on is deleted. */
  private static String document(String tenant, int versions) {
    Api.Response created = STACK.api().post(CREATE_DOCUMENT).tenant(tenant)
        .json(Map.of("title", "Many versions", "content", "the same bytes")).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().at("/document/documentId").asText();
    if (versions > 1) {
      appendVersions(tenant, id, versions);
    }
    return id;
  }

  /** Versions 2..{@code latest} as copies of version 1, and latestVersion moved to the last. */
  private static void appendVersions(String tenant, String id, int latest) {
    STACK.rows().client().readWriteTransaction().run(tx -> {
      Struct first = tx.readRow("DocumentVersions", Key.of(tenant, id, 1L), List.of(
          "State", "ContentSha256", "ContentLength", "ContentType", "ObjectName",
          "ObjectGeneration", "CreatedBy"));
      List<Mutation> mutations = new ArrayList<>();
      Timestamp now = Timestamp.now();
      for (long v = 2; v <= latest; v++) {
        boolean deleted = v % 7 == 0;
        mutations.add(Mutation.newInsertBuilder("DocumentVersions")
            .set("TenantId").to(tenant).set("DocumentId").to(id).set("Version").to(v)
            .set("State").to(deleted ? "DELETED" : "LIVE")
            .set("ContentSha256").to(first.getString("ContentSha256"))
            .set("ContentLength").to(first.getLong("ContentLength"))
            .set("ContentType").to(first.getString("ContentType"))
            .set("ObjectName").to(first.getString("ObjectName"))
            .set("ObjectGeneration").to(first.getLong("ObjectGeneration"))
            .set("CreatedAt").to(now).set("CreatedBy").to(first.getString("CreatedBy"))
            .set("DeletedAt").to(deleted ? now : null)
            .build());
      }
      mutations.add(Mutation.newUpdateBuilder("Documents")
          .set("TenantId").to(tenant).set("DocumentId").to(id)
          .set("LatestVersion").to((long) latest).set("UpdatedAt").to(now).build());
      tx.buffer(mutations);
      return null;
    });
  }

  private static Api.Response listVersions(String tenant, String query) {
    return STACK.api().get(LIST_VERSIONS).tenant(tenant).query(query).send();
  }

  private static JsonNode listed(String tenant, String query) {
    Api.Response page = listVersions(tenant, query);
    assertEquals(200, page.status(), page.toString());
    return page.json();
  }

  private static JsonNode getDocument(String tenant, String id) {
    Api.Response got = STACK.api().get(GET_DOCUMENT).tenant(tenant).query("documentId=" + id)
        .send();
    assertEquals(200, got.status(), got.toString());
    return got.json();
  }

  private static List<Long> numbers(JsonNode versions) {
    List<Long> numbers = new ArrayList<>();
    versions.forEach(v -> numbers.add(v.get("version").asLong()));
    return numbers;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /**
   * Every version from the page that {@code token} starts (the first page when it is null), page
   * after page of {@code pageSize} (the default when null) until no token follows.
   */
  private static List<JsonNode> walk(String tenant, String id, Integer pageSize, String token) {
    List<JsonNode> seen = new ArrayList<>();
    int limit = pageSize == null ? 20 : pageSize;
    do {
      JsonNode page = listed(tenant, "documentId=" + id
          + (pageSize == null ? "" : "&pageSize=" + pageSize)
          + (token == null ? "" : "&pageToken=" + token));
      assertTrue(page.get("versions").size() <= limit, page.toString());
      page.get("versions").forEach(seen::add);
      token = page.path("nextPageToken").asText(null);
      if (token != null) {
        assertEquals(limit, page.get("versions").size(), "only a full page has a next one");
      }
    } while (token != null);
    return seen;
  }

  @Test
  void aDocumentWithOneVersionIsOnePageWithoutAToken() {
    String tenant = "one-version";
    String id = document(tenant, 1);
    JsonNode got = getDocument(tenant, id);
    assertEquals(List.of(1L), numbers(got.get("versions")));
    assertNull(got.get("versionsNextPageToken"));
    JsonNode page = listed(tenant, "documentId=" + id);
    assertEquals(got.get("versions"), page.get("versions"));
    assertNull(page.get("nextPageToken"));
    assertEquals(got.get("versions"), listed(tenant, "documentId=" + id + "&pageSize=1")
        .get("versions"));
  }

  @Test
  void exactlyOneHundredVersionsAreAllInGetDocumentWithoutAToken() {
    String tenant = "hundred";
    String id = document(tenant, 100);
    JsonNode got = getDocument(tenant, id);
    assertEquals(range(1, 100), numbers(got.get("versions")));
    assertNull(got.get("versionsNextPageToken"), "nothing follows version 100");
    JsonNode all = listed(tenant, "documentId=" + id + "&pageSize=100");
    assertEquals(got.get("versions"), all.get("versions"));
    assertNull(all.get("nextPageToken"));
    JsonNode first = listed(tenant, "documentId=" + id);
    assertEquals(range(1, 20), numbers(first.get("versions")), "20 by default");
    assertNotNull(first.get("nextPageToken"));
  }

  /**
   * Past 100 versions getDocument carries a token that listVersions continues from, at 101, to
   * the end, with every page size: no version twice, none missing, in ascending order.
   */
  @ParameterizedTest(name = "{0} versions")
  @ValueSource(ints = {101, 120, 131})
  void moreThanOneHundredVersionsContinueThroughListVersions(int versions) {
    String tenant = "many-" + versions;
    String id = document(tenant, versions);
    JsonNode got = getDocument(tenant, id);
    assertEquals(range(1, 100), numbers(got.get("versions")));
    String token = got.get("versionsNextPageToken").asText();

    JsonNode next = listed(tenant, "documentId=" + id + "&pageToken=" + token);
    assertEquals(range(101, Math.min(120, versions)), numbers(next.get("versions")));
    assertEquals(versions > 120, next.has("nextPageToken"), next.toString());

    List<JsonNode> rest = walk(tenant, id, null, token);
    assertEquals(range(101, versions), rest.stream().map(v -> v.get("version").asLong())
        .toList());
    List<JsonNode> everything = new ArrayList<>();
    got.get("versions").forEach(everything::add);
    everything.addAll(rest);
    for (int size : new int[] {7, 20, 33, 100}) {
      assertEquals(everything, walk(tenant, id, size, null), "pageSize " + size
          + " from the start");
    }
    for (int size : new int[] {1, 7, 33, 100}) {
      assertEquals(rest, walk(tenant, id, size, token), "pageSize " + size
          + " from getDocument's token");
    }
    assertTrue(everything.stream().anyMatch(v -> v.get("state").asText().equals("DELETED")
        && v.has("deletedAt")), "deleted versions are listed");
  }

  @Test
  void deletedVersionsAreListedAsGetDocumentShowsThem() {
    String tenant = "deleted";
    String id = document(tenant, 1);
    for (String content : List.of("two", "three")) {
      assertEquals(201, STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(tenant)
          .json(Map.of("documentId", id, "content", content, "activate", false)).send()
          .status());
    }
    assertEquals(200, STACK.api().post(DELETE_DOCUMENT_VERSION).tenant(tenant)
        .json(Map.of("documentId", id, "version", 2)).send().status());
    JsonNode page = listed(tenant, "documentId=" + id);
    assertEquals(List.of(1L, 2L, 3L), numbers(page.get("versions")));
    assertEquals("DELETED", page.at("/versions/1/state").asText());
    assertTrue(page.at("/versions/1/deletedAt").isTextual());
    assertEquals("LIVE", page.at("/versions/2/state").asText());
    assertEquals(getDocument(tenant, id).get("versions"), page.get("versions"));
  }

  /**
   * A trashed document is read-only, not hidden from its owner: listVersions pages its versions
   * as before the trash, and a token issued before goes on paging them.
   */
  @Test
  void aTrashedDocumentsVersionsListAsTheyDidBefore() {
    String tenant = "trashed";
    String id = document(tenant, 120);
    JsonNode got = getDocument(tenant, id);
    String token = got.get("versionsNextPageToken").asText();
    List<JsonNode> before = walk(tenant, id, 33, null);
    List<JsonNode> restBefore = walk(tenant, id, null, token);
    Api.Response trashed = STACK.api().post(DELETE_DOCUMENT).tenant(tenant)
        .json(Map.of("documentId", id)).send();
    assertEquals(200, trashed.status(), trashed.toString());

    JsonNode gotTrashed = getDocument(tenant, id);
    assertEquals("TRASHED", gotTrashed.at("/document/state").asText());
    assertEquals(got.get("versions"), gotTrashed.get("versions"));
    assertEquals(range(1, 120), walk(tenant, id, 100, null).stream()
        .map(v -> v.get("version").asLong()).toList());
    assertEquals(before, walk(tenant, id, 33, null), "the same versions, page after page");
    assertEquals(restBefore, walk(tenant, id, null, token), "getDocument's token still pages");
  }

  @ParameterizedTest(name = "pageSize={0}")
  @ValueSource(strings = {"0", "101", "x", "-1", "", "1.5", "99999999999"})
  void aPageSizeOutsideOneToOneHundredIs400(String pageSize) {
    String tenant = "page-size";
    String id = document(tenant, 1);
    List<String> rpcs = STACK.rpcs().during(() -> BadInputTest.assertProblem(
        listVersions(tenant, "documentId=" + id + "&pageSize=" + pageSize), 400,
        "invalid_request"));
    assertEquals(List.of(), RpcCounter.roundTrips(rpcs), "refused before Spanner");
  }

  @Test
  void theBoundsOfPageSizeAreAccepted() {
    String tenant = "page-size-ok";
    String id = document(tenant, 3);
    assertEquals(List.of(1L), numbers(listed(tenant, "documentId=" + id + "&pageSize=1")
        .get("versions")));
    assertEquals(List.of(1L, 2L, 3L), numbers(listed(tenant, "documentId=" + id
        + "&pageSize=100").get("versions")));
  }

  @Test
  void aMissingOrMalformedDocumentIdIs400() {
    for (String query : List.of("", "documentId=", "documentId=abc", "pageSize=5")) {
      BadInputTest.assertProblem(listVersions("bad-id", query), 400, "invalid_request");
    }
  }

  /** A token pages one document of one tenant: any other use, or any change to it, is 400. */
  @Test
  void aTokenNotIssuedForThisTenantAndDocumentIs400() {
    String tenant = "tokens";
    String id = document(tenant, 3);
    String other = document(tenant, 3);
    String token = listed(tenant, "documentId=" + id + "&pageSize=1").get("nextPageToken")
        .asText();
    assertEquals(List.of(2L), numbers(listed(tenant, "documentId=" + id
        + "&pageSize=1&pageToken=" + token).get("versions")), "the token itself is good");

    String thief = "tokens-thief";
    String thiefs = document(thief, 3);
    String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(
        decoded.replace("|1|", "|2|").getBytes(StandardCharsets.UTF_8));
    String docs = "tokens-docs";
    String listedDocument = document(docs, 1);
    document(docs, 1);
    String documentsToken = STACK.api().get(LIST_DOCUMENTS).tenant(docs)
        .query("pageSize=1").send().json().get("nextPageToken").asText();
    Map<String, String> refused = Map.of(
        "another document's", tenant + " " + other + " " + token,
        "another tenant's, on its document", thief + " " + id + " " + token,
        "another tenant's, on the thief's own document", thief + " " + thiefs + " " + token,
        "tampered", tenant + " " + id + " " + tampered,
        "garbage", tenant + " " + id + " dGhpcyBpcyBub3QgYSB0b2tlbg",
        "not base64", tenant + " " + id + " %25%25%25",
        "empty", tenant + " " + id + " ",
        "listDocuments'", docs + " " + listedDocument + " " + documentsToken);
    refused.forEach((what, use) -> {
      String[] parts = use.split(" ", -1);
      List<String> rpcs = STACK.rpcs().during(() -> BadInputTest.assertProblem(
          listVersions(parts[0], "documentId=" + parts[1] + "&pageToken=" + parts[2]), 400,
          "invalid_request"));
      assertEquals(List.of(), RpcCounter.roundTrips(rpcs), what + ": refused before Spanner");
    });
    BadInputTest.assertProblem(STACK.api().get(LIST_DOCUMENTS).tenant(tenant)
        .query("pageToken=" + token).send(), 400, "invalid_request");
  }

  /** Another tenant's document, a missing one, and a removed one with a good token: 404. */
  @Test
  void aDocumentThatIsNotTheCallersIs404AndRevealsNothing() {
    String owner = "owner";
    String id = document(owner, 3);
    Api.Response foreign = listVersions("stranger", "documentId=" + id);
    Api.Response missing = listVersions("stranger", "documentId=" + MISSING);
    BadInputTest.assertProblem(foreign, 404, "not_found");
    assertEquals(missing.json().get("detail"), foreign.json().get("detail"));
    assertEquals(missing.json().get("title"), foreign.json().get("title"));

    String token = listed(owner, "documentId=" + id + "&pageSize=1").get("nextPageToken")
        .asText();
    // What a purge leaves: no document row, its versions gone with it by the cascade, and no
    // object under its prefix.
    STACK.rows().client().write(List.of(Mutation.delete("Documents", Key.of(owner, id))));
    STACK.local().docstore().content().deleteDocumentObjects(owner, id);
    BadInputTest.assertProblem(listVersions(owner, "documentId=" + id + "&pageToken=" + token),
        404, "not_found");
    BadInputTest.assertProblem(listVersions(owner, "documentId=" + id), 404, "not_found");
  }

  /** One single-use query each, also for a page past getDocument's hundred. */
  @Test
  void eachReadIsOneSingleUseSpannerRoundTrip() {
    String tenant = "rpcs";
    String id = document(tenant, 130);
    String[] token = new String[1];
    List<String> get = RpcCounter.roundTrips(STACK.rpcs().during(
        () -> token[0] = getDocument(tenant, id).get("versionsNextPageToken").asText()));
    assertEquals(List.of("ExecuteStreamingSql[single-use]"), get, "getDocument");
    List<String> list = RpcCounter.roundTrips(STACK.rpcs().during(
        () -> listed(tenant, "documentId=" + id + "&pageToken=" + token[0])));
    assertEquals(List.of("ExecuteStreamingSql[single-use]"), list, "listVersions");
    List<String> missing = RpcCounter.roundTrips(STACK.rpcs().during(
        () -> listVersions(tenant, "documentId=" + MISSING)));
    assertEquals(List.of("ExecuteStreamingSql[single-use]"), missing, "a 404 too");
  }
}

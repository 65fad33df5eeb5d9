package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static dev.docstore.api.Step.AFTER_DOCUMENT_INSERT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.input.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreateDocumentTest {
  @RegisterExtension
  static final Stack STACK = new Stack();

  private static Map<String, Object> doc(String title, String content) {
    return Map.of("title", title, "content", content);
  }

  @Test
  void roundTripCreateGetListContent() {
    String tenant = "round-trip";
    Api.Response created = STACK.api().post(CREATE_DOCUMENT).tenant(tenant)
        .json(Map.of("title", "Quarterly plan", "content", "first draft",
            "contentType", "text/markdown"))
        .send();
    assertEquals(201, created.status(), created.toString());
    assertNotNull(created.header("X-Request-Id"));
    JsonNode document = created.json().get("document");
    JsonNode version = created.json().get("version");
    String id = document.get("documentId").asText();
    assertEquals("Quarterly plan", document.get("title").asText());
    assertEquals(1, document.get("activeVersion").asLong());
    assertEquals(1, document.get("latestVersion").asLong());
    assertEquals("u-default", document.get("createdBy").asText());
    assertEquals(1, version.get("version").asLong());
    assertEquals("LIVE", version.get("state").asText());
    assertEquals(Sha256.hex("first draft".getBytes(StandardCharsets.UTF_8)),
        version.get("contentSha256").asText());
    assertEquals(11, version.get("contentLength").asLong());
    assertEquals("text/markdown", version.get("contentType").asText());

    Api.Response got = STACK.api().get(GET_DOCUMENT).tenant(tenant)
        .query("documentId=" + id).send();
    assertEquals(200, got.status(), got.toString());
    assertEquals(document, got.json().get("document"));
    assertEquals(1, got.json().get("versions").size());
    assertEquals(version, got.json().get("versions").get(0));

    Api.Response list = STACK.api().get(LIST_DOCUMENTS).tenant(tenant).send();
    assertEquals(200, list.status());
    assertEquals(1, list.json().get("documents").size());
    assertEquals(document, list.json().get("documents").get(0));
    assertNull(list.json().get("nextPageToken"));

    Api.Response content = STACK.api().get(GET_VERSION_CONTENT).tenant(tenant)
        .query("documentId=" + id + "&version=1").send();
    assertEquals(200, content.status());
    assertArrayEquals("first draft".getBytes(StandardCharsets.UTF_8), content.body());
    assertEquals("text/markdown", content.header("Content-Type"));
    assertEquals("\"" + version.get("contentSha256").asText() + "\"", content.header("ETag"));
  }

  /**
   * A contentType is stored exactly as accepted and served back as the Content-Type header byte
   * for byte, as read off the socket: no lower-casing, no charset rewriting, no spacing changes.
   */
  @ParameterizedTest
  @ValueSource(strings = {"text/plain; charset=utf-8", "text/plain;charset=utf-8",
      "text/plain;charset=UTF-8", "TEXT/Plain; Charset=UTF-8", "application/json",
      "application/json; charset=utf-8", "text/html; charset=\"utf-8\"",
      "text/markdown;variant=GFM ;  charset=utf-8", "application/vnd.api+json",
      "text/plain; q=\"a \\\"quoted\\\" value\"", "text/plain;\tcharset=iso-8859-1",
      "text/plain;", "multipart/mixed; boundary=\"a;b=c\"", "image/svg+xml",
      "application/x-www-form-urlencoded", "text/plain; charset=x-no-such-charset",
      "text/x.c~u`s|t^o_m; a=b; c=d; e=f"})
  void contentTypeIsServedBackByteForByte(String contentType) {
    String tenant = "content-type";
    Api.Response created = STACK.api().post(CREATE_DOCUMENT).tenant(tenant)
        .json(Map.of("title", "typed", "content", "x", "contentType", contentType)).send();
    assertEquals(201, created.status(), created.toString());
    assertEquals(contentType, created.json().at("/version/contentType").asText());
    String id = created.json().at("/document/documentId").asText();
    byte[] get = ("GET /" + GET_VERSION_CONTENT.functionName() + "?documentId=" + id
        + "&version=1 HTTP/1.1\r\nHost: localhost\r\nX-Tenant-Id: " + tenant
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    List<String> head = STACK.api().rawHead(get);
    assertTrue(head.get(0).startsWith("HTTP/1.1 200 "), head.toString());
    List<String> contentTypes = head.stream()
        .filter(line -> line.regionMatches(true, 0, "Content-Type:", 0, 13)).toList();
    assertEquals(List.of("Content-Type: " + contentType), contentTypes, head.toString());
  }

  @Test
  void base64ContentRoundTripsExactBytes() {
    byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10, 13};
    Api.Response created = STACK.api().post(CREATE_DOCUMENT).tenant("b64")
        .json(Map.of("title", "binary", "contentBase64",
            java.util.Base64.getEncoder().encodeToString(bytes),
            "contentType", "application/octet-stream"))
        .send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().at("/document/documentId").asText();
    Api.Response content = STACK.api().get(GET_VERSION_CONTENT).tenant("b64")
        .query("documentId=" + id + "&version=1").send();
    assertArrayEquals(bytes, content.body());
  }

  @Test
  void listDocumentsPagesNewestFirstWithOpaqueTokens() {
    String tenant = "pages";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(STACK.api().post(CREATE_DOCUMENT).tenant(tenant).json(doc("doc " + i, "c" + i))
          .send().json().at("/document/documentId").asText());
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Api.Response page = STACK.api().get(LIST_DOCUMENTS).tenant(tenant)
          .query("pageSize=2" + (token == null ? "" : "&pageToken=" + token)).send();
      assertEquals(200, page.status(), page.toString());
      page.json().get("documents").forEach(d -> seen.add(d.get("documentId").asText()));
      token = page.json().path("nextPageToken").asText(null);
      pages++;
    } while (token != null);
    assertEquals(3, pages);
    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen);

    String issued = STACK.api().get(LIST_DOCUMENTS).tenant(tenant).query("pageSize=1").send()
        .json().get("nextPageToken").asText();
    Api.Response foreign = STACK.api().get(LIST_DOCUMENTS).tenant("someone-else")
        .query("pageToken=" + issued).send();
    assertEquals(400, foreign.status(), "a token issued to another tenant");
    Api.Response forged = STACK.api().get(LIST_DOCUMENTS).tenant(tenant)
        .query("pageToken=dGhpcyBpcyBub3QgYSB0b2tlbg").send();
    assertEquals(400, forged.status());
    assertEquals("invalid_request", forged.code());
  }

  @Test
  void replayIsIdenticalInStatusBodyAndHeader() {
    String tenant = "replay";
    STACK.events().drain(200);
    Api.Response first = STACK.api().post(CREATE_DOCUMENT).tenant(tenant).key("k-1")
        .json(doc("Replay me", "body")).send();
    Api.Response second = STACK.api().post(CREATE_DOCUMENT).tenant(tenant).key("k-1")
        .json("{ \"content\" : \"body\",\n \"title\":\"Replay me\" }").send();
    assertEquals(201, first.status());
    assertNull(first.header("Idempotent-Replayed"));
    assertEquals(201, second.status());
    assertEquals("true", second.header("Idempotent-Replayed"));
    assertArrayEquals(first.body(), second.body());
    assertEquals(1, STACK.rows().count("Documents", tenant));
    assertEquals(1, STACK.events().drainJson().size(), "a replay emits no event");
    assertEquals(1, objects(tenant), "the replay's own upload was removed");
  }

  @Test
  void sameKeyWithAnotherPayloadIs409AndWritesNothing() {
    String tenant = "mismatch";
    assertEquals(201, STACK.api().post(CREATE_DOCUMENT).tenant(tenant).key("k")
        .json(doc("One", "a")).send().status());
    String before = STACK.rows().census(tenant);
    Api.Response conflict = STACK.api().post(CREATE_DOCUMENT).tenant(tenant).key("k")
        .json(doc("Two", "b")).send();
    assertEquals(409, conflict.status());
    assertEquals("idempotency_key_reused", conflict.code());
    assertEquals("application/problem+json", conflict.header("Content-Type"));
    assertEquals(before, STACK.rows().census(tenant));
  }

  @Test
  void eightThreadsWithOneKeyMakeExactlyOneDocument() throws Exception {
    String tenant = "eight";
    STACK.events().drain(200);
    List<Api.Response> responses = parallel(8, i -> STACK.api().post(CREATE_DOCUMENT)
        .tenant(tenant).key("same-key").json(doc("Once", "only once")).send());
    Set<String> bodies = new HashSet<>();
    int replays = 0;
    for (Api.Response r : responses) {
      assertEquals(201, r.status(), r.toString());
      bodies.add(r.text());
      if ("true".equals(r.header("Idempotent-Replayed"))) {
        replays++;
      }
    }
    assertEquals(1, bodies.size(), "every response carries the same document");
    assertEquals(7, replays);
    assertEquals(1, STACK.rows().count("Documents", tenant));
    assertEquals(1, STACK.rows().count("DocumentVersions", tenant));
    assertEquals(1, STACK.events().drainJson().size());
    assertEquals(1, objects(tenant), "losers' uploads were removed");
  }

  @Test
  void sixteenConcurrentCreatesThroughOneSharedClientAllSucceed() throws Exception {
    String tenant = "sixteen";
    STACK.events().drain(200);
    List<Api.Response> responses = parallel(16, i -> STACK.api().post(CREATE_DOCUMENT)
        .tenant(tenant).json(doc("Doc " + i, "content " + i)).send());
    Set<String> ids = new HashSet<>();
    for (Api.Response r : responses) {
      assertEquals(201, r.status(), r.toString());
      ids.add(r.json().at("/document/documentId").asText());
    }
    assertEquals(16, ids.size());
    assertEquals(16, STACK.rows().count("Documents", tenant));
    assertEquals(16, STACK.rows().count("DocumentVersions", tenant));
    List<JsonNode> events = STACK.events().drainJson();
    assertEquals(16, events.size());
    Set<String> eventDocs = new HashSet<>();
    events.forEach(e -> eventDocs.add(e.get("documentId").asText()));
    assertEquals(ids, eventDocs);
  }

  @Test
  void failureBetweenTheTwoInsertsLeavesNeitherAndTheRetryCommitsOnce() {
    String tenant = "atomic";
    STACK.events().drain(200);
    STACK.local().docstore().failpoints().set(CREATE_DOCUMENT.failpoint(AFTER_DOCUMENT_INSERT), "1*error");
    Api.Response failed = STACK.api().post(CREATE_DOCUMENT).tenant(tenant).key("atomic-1")
        .json(doc("Atomic", "all or nothing")).send();
    assertEquals(503, failed.status(), failed.toString());
    assertEquals("unavailable", failed.code());
    assertEquals("Documents=0 DocumentVersions=0 IdempotencyRecords=0 AnalyticsOutbox=0"
        + " DailyApiUsage=0 DailyApiUsageShards=0 ProcessedEvents=0", STACK.rows().census(tenant));
    assertTrue(STACK.events().drainJson().isEmpty(), "a rolled-back write emits nothing");

    Api.Response retried = STACK.api().post(CREATE_DOCUMENT).tenant(tenant).key("atomic-1")
        .json(doc("Atomic", "all or nothing")).send();
    assertEquals(201, retried.status(), retried.toString());
    assertNull(retried.header("Idempotent-Replayed"), "the retry executes afresh");
    assertEquals(1, STACK.rows().count("Documents", tenant));
    assertEquals(1, STACK.rows().count("DocumentVersions", tenant));
    assertEquals(1, STACK.events().drainJson().size());
  }

  @Test
  void eachCommittedCreateEmitsOneCompleteEvent() {
    String tenant = "events";
    STACK.events().drain(200);
    Api.Response created = STACK.api().post(CREATE_DOCUMENT).tenant(tenant)
        .header("X-Request-Id", "req-events-1").json(doc("Evented", "x")).send();
    assertEquals("req-events-1", created.header("X-Request-Id"));
    List<JsonNode> events = STACK.events().drainJson();
    assertEquals(1, events.size());
    JsonNode event = events.get(0);
    assertEquals("document.created", event.get("type").asText());
    assertEquals(tenant, event.get("tenantId").asText());
    assertEquals(created.json().at("/document/documentId").asText(),
        event.get("documentId").asText());
    assertEquals(1, event.get("version").asLong());
    assertEquals("req-events-1", event.get("requestId").asText());
    assertTrue(event.get("eventId").asText().length() >= 32);
    assertTrue(event.get("occurredAt").asText().endsWith("Z"));
    assertEquals(1, STACK.rows().queryLong(
        "SELECT COUNT(*) FROM AnalyticsOutbox WHERE TenantId = @t AND Pending", tenant),
        "published, not marked: the answer waited for no third round trip");
  }

  static long objects(String tenant) {
    var page = STACK.local().storage().list(STACK.local().config().contentBucket(),
        com.google.cloud.storage.Storage.BlobListOption.prefix(tenant + "/"));
    return java.util.stream.StreamSupport.stream(page.iterateAll().spliterator(), false).count();
  }

  interface Call<T> {
    T run(int i) throws Exception;
  }

  static <T> List<T> parallel(int n, Call<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<T> task = () -> {
          start.await();
          return call.run(index);
        };
        futures.add(pool.submit(task));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}

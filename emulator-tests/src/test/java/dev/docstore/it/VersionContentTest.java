package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.store.ContentStore;
import dev.docstore.testing.RpcCounter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * getVersionContent for caches, players and viewers: 304 on If-None-Match, 206 and 416 on
 * Range, caching only by the caller's browser, and never run as the API's own page.
 */
class VersionContentTest {
  @RegisterExtension
  static final Stack STACK = new Stack();
  private static final String T = "content";
  /** 20 bytes, so every offset below is easy to check by eye. */
  private static final String TEXT = "0123456789abcdefghij";
  private static final String CACHED = "private, max-age=31536000, immutable";
  /** Dev auth: the credential headers, then Origin for CORS, in one Vary. */
  private static final String VARY = "Authorization, X-Tenant-Id, X-User-Id, Origin";
  private static String textId;
  private static String textEtag;

  @BeforeAll
  static void aTextDocument() {
    Api.Response created = create(Map.of("title", "text", "content", TEXT,
        "contentType", "text/plain; charset=utf-8"));
    textId = created.json().at("/document/documentId").asText();
    textEtag = "\"" + created.json().at("/version/contentSha256").asText() + "\"";
  }

  private static Api.Response create(Map<String, Object> body) {
    Api.Response r = STACK.api().post(CREATE_DOCUMENT).tenant(T).json(body).send();
    assertEquals(201, r.status(), r.toString());
    return r;
  }

  private static String createTyped(String content, String contentType) {
    return create(Map.of("title", "typed", "content", content, "contentType", contentType))
        .json().at("/document/documentId").asText();
  }

  private static Api.Request get(String id) {
    return STACK.api().get(GET_VERSION_CONTENT).tenant(T)
        .query("documentId=" + id + "&version=1");
  }

  private static Api.Response getText(String header, String value) {
    return get(textId).header(header, value).send();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What every 200 and 206 of content carries, whatever its range. */
  private static void assertContentHeaders(Api.Response r, String etag, String disposition) {
    assertEquals(etag, r.header("ETag"), r.toString());
    assertEquals("bytes", r.header("Accept-Ranges"));
    assertEquals(CACHED, r.header("Cache-Control"));
    assertEquals(VARY, r.header("Vary"));
    assertEquals("nosniff", r.header("X-Content-Type-Options"));
    assertEquals("sandbox", r.header("Content-Security-Policy"));
    assertEquals(disposition, r.header("Content-Disposition"));
  }

  @Test
  void theWholeContentCarriesItsValidatorCachingAndSafetyHeaders() {
    Api.Response r = get(textId).send();
    assertEquals(200, r.status(), r.toString());
    assertArrayEquals(utf8(TEXT), r.body());
    assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
    assertContentHeaders(r, textEtag, "inline");
    assertNull(r.header("Content-Range"));
  }

  @ParameterizedTest(name = "If-None-Match: {0}")
  @ValueSource(strings = {"ETAG", "*", "\"0000\", ETAG", "W/ETAG", "\"a\",W/ETAG , \"b\""})
  void ifNoneMatchNamingTheContentIs304WithNoBody(String header) {
    Api.Response r = getText("If-None-Match", header.replace("ETAG", textEtag));
    assertEquals(304, r.status(), r.toString());
    assertEquals(0, r.body().length);
    assertEquals(textEtag, r.header("ETag"));
    assertEquals(CACHED, r.header("Cache-Control"));
    assertEquals(VARY, r.header("Vary"));
    assertNull(r.header("Content-Type"));
  }

  @ParameterizedTest(name = "If-None-Match: {0}")
  @ValueSource(strings = {"\"0000\"", "\"0000\", \"1111\"", "SHA", "\"SHA", "ETAG ETAG"})
  void ifNoneMatchOfOtherContentOrMalformedGetsTheWholeContent(String header) {
    Api.Response r = getText("If-None-Match",
        header.replace("ETAG", textEtag).replace("SHA", textEtag.replace("\"", "")));
    assertEquals(200, r.status(), r.toString());
    assertArrayEquals(utf8(TEXT), r.body());
    assertContentHeaders(r, textEtag, "inline");
  }

  @ParameterizedTest(name = "{0} is bytes {1}-{2}")
  @CsvSource({"bytes=0-0, 0, 0", "bytes=5-9, 5, 9", "bytes=-5, 15, 19", "bytes=10-, 10, 19",
      "bytes=15-100, 15, 19", "bytes=0-19, 0, 19", "bytes=-100, 0, 19", "BYTES=3-3, 3, 3"})
  void oneRangeIs206WithExactlyThoseBytes(String range, int first, int last) {
    Api.Response r = getText("Range", range);
    assertEquals(206, r.status(), r.toString());
    assertArrayEquals(Arrays.copyOfRange(utf8(TEXT), first, last + 1), r.body());
    assertEquals("bytes " + first + "-" + last + "/20", r.header("Content-Range"));
    assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
    assertContentHeaders(r, textEtag, "inline");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bytes=20-", "bytes=20-20", "bytes=25-30", "bytes=-0",
      "bytes=99999999999999999999999-"})
  void aRangeWithNoByteOfTheContentIs416WithItsLength(String range) {
    Api.Response r = getText("Range", range);
    assertEquals(416, r.status(), r.toString());
    assertEquals("range_not_satisfiable", r.code());
    assertEquals(416, r.json().get("status").asInt());
    assertEquals("bytes */20", r.header("Content-Range"));
    assertEquals("no-store", r.header("Cache-Control"));
    assertEquals("application/problem+json", r.header("Content-Type"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bytes=0-", "bytes=0-0", "bytes=-5", "bytes=-0"})
  void anyRangeOfEmptyContentIs416(String range) {
    String empty = createTyped("", "text/plain");
    Api.Response whole = get(empty).send();
    assertEquals(200, whole.status(), whole.toString());
    assertEquals(0, whole.body().length);
    Api.Response r = get(empty).header("Range", range).send();
    assertEquals(416, r.status(), r.toString());
    assertEquals("range_not_satisfiable", r.code());
    assertEquals("bytes */0", r.header("Content-Range"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bytes=0-1,5-6", "bytes=0-1, 0-1", "bytes=5-2", "bytes=abc",
      "bytes=1", "pages=0-1", "0-5", "bytes 0-5", "bytes=20-,0-1"})
  void severalRangesOrAMalformedOneGetTheWholeContent(String range) {
    Api.Response r = getText("Range", range);
    assertEquals(200, r.status(), r.toString());
    assertArrayEquals(utf8(TEXT), r.body());
    assertNull(r.header("Content-Range"));
    assertContentHeaders(r, textEtag, "inline");
  }

  @Test
  void ifRangeServesTheRangeOnlyForTheSameContentByTheStrongComparison() {
    Api.Response same = get(textId).header("Range", "bytes=2-4").header("If-Range", textEtag)
        .send();
    assertEquals(206, same.status(), same.toString());
    assertArrayEquals(utf8("234"), same.body());
    for (String other : List.of("\"0000\"", "W/" + textEtag, "Tue, 01 Dec 2026 07:00:00 GMT")) {
      Api.Response r = get(textId).header("Range", "bytes=2-4").header("If-Range", other).send();
      assertEquals(200, r.status(), other + ": " + r);
      assertArrayEquals(utf8(TEXT), r.body(), other);
    }
    Api.Response pastTheEnd = get(textId).header("Range", "bytes=50-")
        .header("If-Range", "\"0000\"").send();
    assertEquals(200, pastTheEnd.status(), "a failed If-Range ignores even an unsatisfiable range");
  }

  @Test
  void ifNoneMatchComesBeforeRange() {
    Api.Response r = get(textId).header("If-None-Match", textEtag).header("Range", "bytes=50-")
        .send();
    assertEquals(304, r.status(), r.toString());
  }

  /**
   * The version row says all a 304 or a 416 needs: with the object gone from Cloud Storage they
   * still answer, after one Spanner read, while the full answer (which reads it) cannot.
   */
  @Test
  void a304OrA416CostsOneSpannerReadAndNoStorageRead() {
    String id = createTyped("kept in storage", "text/plain");
    Api.Response first = get(id).send();
    String etag = first.header("ETag");
    String objectName = ContentStore.objectName(T, id, etag.replace("\"", ""));
    ContentStore content = STACK.local().docstore().content();
    long generation = content.liveGeneration(objectName).orElseThrow();
    assertTrue(content.delete(objectName));
    try {
      List<String> rpcs = RpcCounter.roundTrips(STACK.rpcs().during(() ->
          assertEquals(304, get(id).header("If-None-Match", etag).send().status())));
      assertEquals(1, rpcs.size(), rpcs.toString());
      assertEquals(416, get(id).header("Range", "bytes=1000-").send().status());
      assertEquals(500, get(id).send().status(), "the object is gone: reading it fails");
    } finally {
      assertEquals(generation, content.restore(objectName, generation));
    }
    assertArrayEquals(utf8("kept in storage"), get(id).send().body());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text/html", "text/html; charset=utf-8", "TEXT/HTML",
      "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml",
      "application/atom+xml", "text/javascript", "application/javascript",
      "application/ecmascript; charset=utf-8"})
  void activeTypesAreAnAttachmentNeverSniffedAndSandboxed(String contentType) {
    String id = createTyped("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)"
        + "</script></svg>", contentType);
    Api.Response whole = get(id).send();
    assertEquals(200, whole.status(), whole.toString());
    assertEquals(contentType, whole.header("Content-Type"), "still served as stored");
    assertContentHeaders(whole, whole.header("ETag"), "attachment");
    Api.Response part = get(id).header("Range", "bytes=0-3").send();
    assertEquals(206, part.status(), part.toString());
    assertContentHeaders(part, whole.header("ETag"), "attachment");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text/plain", "text/markdown", "application/json", "image/png",
      "application/pdf"})
  void passiveTypesAreInline(String contentType) {
    Api.Response r = get(createTyped("passive", contentType)).send();
    assertEquals(200, r.status(), r.toString());
    assertContentHeaders(r, r.header("ETag"), "inline");
  }

  @Test
  void binaryContentRangesAreByteExact() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (255 - i);
    }
    String id = create(Map.of("title", "binary", "contentBase64",
        Base64.getEncoder().encodeToString(bytes), "contentType", "application/octet-stream"))
        .json().at("/document/documentId").asText();
    Map<String, int[]> ranges = new HashMap<>(Map.of("bytes=0-0", new int[] {0, 0},
        "bytes=127-129", new int[] {127, 129}, "bytes=-3", new int[] {253, 255},
        "bytes=250-", new int[] {250, 255}, "bytes=200-999", new int[] {200, 255}));
    ranges.forEach((range, expected) -> {
      Api.Response r = get(id).header("Range", range).send();
      assertEquals(206, r.status(), range + ": " + r);
      assertArrayEquals(Arrays.copyOfRange(bytes, expected[0], expected[1] + 1), r.body(), range);
      assertEquals("bytes " + expected[0] + "-" + expected[1] + "/256",
          r.header("Content-Range"));
      assertEquals("application/octet-stream", r.header("Content-Type"));
    });
    assertArrayEquals(bytes, get(id).send().body());
  }

  @Test
  void cachingHeadersOnContentOnlyAndOneVaryOverTheWire() {
    for (Api.Response r : List.of(get(textId).send(), getText("Range", "bytes=1-2"),
        getText("If-None-Match", textEtag))) {
      assertEquals(CACHED, r.header("Cache-Control"), r.toString());
      assertEquals(VARY, r.header("Vary"), r.toString());
    }
    String missing = "0b7e6a52-5f0e-4a6b-9d3c-000000000000";
    Api.Response notFound = get(missing).header("If-None-Match", "*").send();
    assertEquals(404, notFound.status(), "no 304 for content that does not exist");
    assertEquals("no-store", notFound.header("Cache-Control"));
    assertEquals("Origin", notFound.header("Vary"));
    Api.Response bad = STACK.api().get(GET_VERSION_CONTENT).tenant(T)
        .query("documentId=" + textId + "&version=0").send();
    assertEquals(400, bad.status());
    assertEquals("no-store", bad.header("Cache-Control"));

    byte[] request = ("GET /" + GET_VERSION_CONTENT.functionName() + "?documentId=" + textId
        + "&version=1 HTTP/1.1\r\nHost: localhost\r\nX-Tenant-Id: " + T
        + "\r\nRange: bytes=0-1\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    List<String> head = STACK.api().rawHead(request);
    assertTrue(head.get(0).startsWith("HTTP/1.1 206 "), head.toString());
    assertEquals(List.of("Vary: " + VARY), lines(head, "Vary"), head.toString());
    assertEquals(List.of("Cache-Control: " + CACHED), lines(head, "Cache-Control"),
        head.toString());
  }

  private static List<String> lines(List<String> head, String name) {
    return head.stream().filter(line -> line.toLowerCase(Locale.ROOT)
        .startsWith(name.toLowerCase(Locale.ROOT) + ":")).toList();
  }

  @Test
  void anotherTenantOrADeletedVersionGetsNo304() {
    Api.Response otherTenant = STACK.api().get(GET_VERSION_CONTENT).tenant("someone-else")
        .query("documentId=" + textId + "&version=1").header("If-None-Match", textEtag).send();
    assertEquals(404, otherTenant.status(), "existence is never revealed");
    assertEquals("not_found", otherTenant.code());

    String id = createTyped("v1", "text/plain");
    assertEquals(201, STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(T)
        .json(Map.of("documentId", id, "content", "v2")).send().status());
    String etag = get(id).send().header("ETag");
    assertEquals(200, STACK.api().post(DELETE_DOCUMENT_VERSION).tenant(T)
        .json(Map.of("documentId", id, "version", 1)).send().status());
    Api.Response deleted = get(id).header("If-None-Match", etag).send();
    assertEquals(404, deleted.status(), deleted.toString());
    Api.Response deletedRange = get(id).header("Range", "bytes=0-0").send();
    assertEquals(404, deletedRange.status(), deletedRange.toString());
  }
}

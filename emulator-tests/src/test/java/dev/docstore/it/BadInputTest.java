package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT;
import static dev.docstore.api.Operation.UPDATE_DOCUMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.api.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input: a stable 4xx problem+json, nothing stored, never a 5xx or a leaked internal. */
class BadInputTest {
  @RegisterExtension
  static final Stack STACK = new Stack().env("MAX_CONTENT_BYTES", "1024");
  private static final String TENANT = "bad-input";

  static Stream<Arguments> createDocumentBodies() {
    return Stream.of(
        Arguments.of("malformed JSON", "{\"title\": \"x\", ", 400, "invalid_request"),
        Arguments.of("not an object", "[1,2]", 400, "invalid_request"),
        Arguments.of("trailing garbage", "{\"title\":\"x\",\"content\":\"y\"} {}", 400,
            "invalid_request"),
        Arguments.of("duplicate field", "{\"title\":\"x\",\"title\":\"y\",\"content\":\"c\"}",
            400, "invalid_request"),
        Arguments.of("missing title", "{\"content\":\"y\"}", 400, "invalid_request"),
        Arguments.of("unknown field", "{\"title\":\"x\",\"content\":\"y\",\"owner\":\"z\"}", 400,
            "invalid_request"),
        Arguments.of("title of 0 characters", "{\"title\":\"\",\"content\":\"y\"}", 400,
            "invalid_request"),
        Arguments.of("title of 201 characters",
            "{\"title\":\"" + "t".repeat(201) + "\",\"content\":\"y\"}", 400, "invalid_request"),
        Arguments.of("title with a control character", "{\"title\":\"a\\u0007b\",\"content\":\"y\"}",
            400, "invalid_request"),
        Arguments.of("title with a newline", "{\"title\":\"a\\nb\",\"content\":\"y\"}", 400,
            "invalid_request"),
        Arguments.of("title as a number", "{\"title\":7,\"content\":\"y\"}", 400,
            "invalid_request"),
        Arguments.of("null content beside contentBase64",
            "{\"title\":\"x\",\"content\":null,\"contentBase64\":\"eQ==\"}", 400,
            "invalid_request"),
        Arguments.of("null contentType",
            "{\"title\":\"x\",\"content\":\"y\",\"contentType\":null}", 400,
            "invalid_request"),
        Arguments.of("both content fields",
            "{\"title\":\"x\",\"content\":\"y\",\"contentBase64\":\"eQ==\"}", 400,
            "invalid_request"),
        Arguments.of("neither content field", "{\"title\":\"x\"}", 400, "invalid_request"),
        Arguments.of("invalid base64", "{\"title\":\"x\",\"contentBase64\":\"***\"}", 400,
            "invalid_request"),
        Arguments.of("invalid content type",
            "{\"title\":\"x\",\"content\":\"y\",\"contentType\":\"not a type\"}", 400,
            "invalid_request"),
        Arguments.of("content type with a space before the slash",
            "{\"title\":\"x\",\"content\":\"y\",\"contentType\":\"text /plain\"}", 400,
            "invalid_request"),
        Arguments.of("content type */*, a media range",
            "{\"title\":\"x\",\"content\":\"y\",\"contentType\":\"*/*\"}", 400,
            "invalid_request"),
        Arguments.of("content type text/*, a media range",
            "{\"title\":\"x\",\"content\":\"y\",\"contentType\":\"text/*\"}", 400,
            "invalid_request"),
        Arguments.of("content type with spaces around '='", "{\"title\":\"x\",\"content\":\"y\","
            + "\"contentType\":\"text/plain; charset = utf-8\"}", 400, "invalid_request"),
        Arguments.of("content type with an unterminated quoted value", "{\"title\":\"x\","
            + "\"content\":\"y\",\"contentType\":\"text/plain; a=\\\"b\"}", 400,
            "invalid_request"),
        Arguments.of("content type with a '{' in the subtype",
            "{\"title\":\"x\",\"content\":\"y\",\"contentType\":\"text/{x}\"}", 400,
            "invalid_request"),
        Arguments.of("content type of 256 characters", "{\"title\":\"x\",\"content\":\"y\","
            + "\"contentType\":\"text/" + "x".repeat(251) + "\"}", 400, "invalid_request"),
        Arguments.of("content over the limit",
            "{\"title\":\"x\",\"content\":\"" + "z".repeat(1025) + "\"}", 413,
            "payload_too_large"),
        Arguments.of("base64 content over the limit", "{\"title\":\"x\",\"contentBase64\":\""
            + Base64.getEncoder().encodeToString(new byte[1025]) + "\"}", 413,
            "payload_too_large"),
        Arguments.of("body far over the limit",
            "{\"title\":\"x\",\"content\":\"" + "z".repeat(10_000) + "\"}", 413,
            "payload_too_large"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("createDocumentBodies")
  void createDocumentRejects(String name, String body, int status, String code) {
    assertProblem(STACK.api().post(CREATE_DOCUMENT).tenant(TENANT).json(body).send(), status,
        code);
  }

  /** The writes on an existing document take them: a live one, and one in the trash. */
  private static final String DOCUMENT_TENANT = "bad-input-documents";
  private static String live;
  private static String trashed;

  @BeforeAll
  static void aLiveAndATrashedDocument() {
    live = createdId(DOCUMENT_TENANT);
    trashed = createdId(DOCUMENT_TENANT);
    assertEquals(200, STACK.api().post(DELETE_DOCUMENT).tenant(DOCUMENT_TENANT)
        .json(Map.of("documentId", trashed)).send().status());
  }

  private static String createdId(String tenant) {
    Api.Response created = STACK.api().post(CREATE_DOCUMENT).tenant(tenant)
        .json(Map.of("title", "Untouched", "content", "x")).send();
    assertEquals(201, created.status(), created.toString());
    return created.json().at("/document/documentId").asText();
  }

  /**
   * Bodies of the writes on a whole document, where {@code $ID} stands for the document a valid
   * body would change: the live one, or for restoreDocument the trashed one.
   */
  static Stream<Arguments> documentWriteBodies() {
    List<Arguments> all = new ArrayList<>(List.of(
        Arguments.of(UPDATE_DOCUMENT, "missing title", "{\"documentId\":\"$ID\"}"),
        Arguments.of(UPDATE_DOCUMENT, "null title", "{\"documentId\":\"$ID\",\"title\":null}"),
        Arguments.of(UPDATE_DOCUMENT, "title of 0 characters",
            "{\"documentId\":\"$ID\",\"title\":\"\"}"),
        Arguments.of(UPDATE_DOCUMENT, "title of 201 characters",
            "{\"documentId\":\"$ID\",\"title\":\"" + "t".repeat(201) + "\"}"),
        Arguments.of(UPDATE_DOCUMENT, "title with a control character",
            "{\"documentId\":\"$ID\",\"title\":\"a\\u0007b\"}"),
        Arguments.of(UPDATE_DOCUMENT, "title with a newline",
            "{\"documentId\":\"$ID\",\"title\":\"a\\nb\"}"),
        Arguments.of(UPDATE_DOCUMENT, "title as a number", "{\"documentId\":\"$ID\",\"title\":7}"),
        Arguments.of(UPDATE_DOCUMENT, "title as an array",
            "{\"documentId\":\"$ID\",\"title\":[\"x\"]}"),
        Arguments.of(UPDATE_DOCUMENT, "missing documentId", "{\"title\":\"Renamed\"}"),
        Arguments.of(UPDATE_DOCUMENT, "documentId not a UUID",
            "{\"documentId\":\"$ID-x\",\"title\":\"Renamed\"}"),
        Arguments.of(UPDATE_DOCUMENT, "documentId as a number",
            "{\"documentId\":7,\"title\":\"Renamed\"}"),
        Arguments.of(UPDATE_DOCUMENT, "extra field",
            "{\"documentId\":\"$ID\",\"title\":\"Renamed\",\"content\":\"y\"}"),
        Arguments.of(UPDATE_DOCUMENT, "not an object", "[\"$ID\",\"Renamed\"]")));
    for (Operation op : List.of(DELETE_DOCUMENT, RESTORE_DOCUMENT)) {
      all.addAll(List.of(
          Arguments.of(op, "missing documentId", "{}"),
          Arguments.of(op, "null documentId", "{\"documentId\":null}"),
          Arguments.of(op, "documentId not a UUID", "{\"documentId\":\"$ID-x\"}"),
          Arguments.of(op, "documentId as a number", "{\"documentId\":7}"),
          Arguments.of(op, "documentId as an array", "{\"documentId\":[\"$ID\"]}"),
          Arguments.of(op, "extra field, a title",
              "{\"documentId\":\"$ID\",\"title\":\"Renamed\"}"),
          Arguments.of(op, "not an object", "\"$ID\"")));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("documentWriteBodies")
  void documentWritesRejectAndChangeNothing(Operation op, String name, String body) {
    String id = op == RESTORE_DOCUMENT ? trashed : live;
    JsonNode before = document(id);
    String census = STACK.rows().census(DOCUMENT_TENANT);
    // A key per case, so that no case can meet a record another case left.
    String key = "bad-" + op.functionName() + "-" + UUID.randomUUID();
    assertProblem(STACK.api().post(op).tenant(DOCUMENT_TENANT).key(key)
        .json(body.replace("$ID", id)).send(), 400, "invalid_request");
    assertEquals(before, document(id), "the document is unchanged");
    assertEquals(census, STACK.rows().census(DOCUMENT_TENANT), "nothing was written");
  }

  /** The document as getDocument shows it: its etag, title and state among the rest. */
  private static JsonNode document(String id) {
    Api.Response got = STACK.api().get(GET_DOCUMENT).tenant(DOCUMENT_TENANT)
        .query("documentId=" + id).send();
    assertEquals(200, got.status(), got.toString());
    return got.json().get("document");
  }

  @Test
  void createDocumentVersionRefusesAnInvalidContentTypeBeforeAnyLookup() {
    assertProblem(STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(TENANT)
        .json(Map.of("documentId", "00000000-0000-4000-8000-000000000000", "content", "y",
            "contentType", "text /plain")).send(), 400, "invalid_request");
  }

  /**
   * An unknown query parameter is 400 on every HTTP function, POST or GET, with a request that
   * is otherwise valid (shown by sending it again without the parameter), and changes nothing.
   */
  @Test
  void anUnknownQueryParameterIs400OnEveryFunction() {
    for (Operation op : Operation.values()) {
      if (op.trigger() == Operation.Trigger.CLOUD_EVENT) {
        continue;
      }
      String tenant = "bad-query-" + op.ordinal();
      Function<String, Api.Request> request = validRequest(op, tenant);
      String census = STACK.rows().census(tenant);
      for (String extra : List.of("unknown=1", "Idempotency-Key=k", "documentId=x&extra=",
          "%C3%A9=1")) {
        Api.Response response = request.apply(extra).send();
        assertProblem(response, 400, "invalid_request");
        assertEquals(census, STACK.rows().census(tenant), op.functionName() + "?" + extra);
      }
      Api.Response valid = request.apply("").send();
      assertTrue(valid.ok(), op.functionName() + " without the parameter: " + valid);
    }
  }

  /** A valid request of {@code op} in {@code tenant}, with {@code extra} added to its query. */
  private static Function<String, Api.Request> validRequest(Operation op, String tenant) {
    Optional<WriteScenario> write = Arrays.stream(WriteScenario.values())
        .filter(s -> s.operation == op).findFirst();
    if (write.isPresent()) {
      WriteScenario.Prepared p = write.get().prepare(STACK.api(), tenant);
      return extra -> STACK.api().post(op).tenant(tenant).query(extra)
          .json(write.get().body(p, 0));
    }
    String id = WriteScenario.SET_ACTIVE_VERSION.prepare(STACK.api(), tenant).documentId();
    String query = switch (op) {
      case GET_DOCUMENT -> "documentId=" + id;
      case LIST_VERSIONS -> "documentId=" + id + "&pageSize=1";
      case LIST_DOCUMENTS, PUBLISH_OUTBOX, PURGE_TRASH -> "";
      case GET_VERSION_CONTENT -> "documentId=" + id + "&version=1";
      case GET_USAGE -> "from=2026-01-01&to=2026-01-31";
      default -> throw new AssertionError("no valid request for " + op.functionName()
          + ": add one here (or a WriteScenario for a write)");
    };
    String caller = op.trigger() == Operation.Trigger.HTTP_PUBLIC ? tenant : null;
    return extra -> (op.method().equals("GET") ? STACK.api().get(op) : STACK.api().post(op))
        .tenant(caller).query(query.isEmpty() ? extra
            : extra.isEmpty() ? query : query + "&" + extra);
  }

  @Test
  void nonJsonContentTypeIs415() {
    assertProblem(STACK.api().post(CREATE_DOCUMENT).tenant(TENANT)
        .body("text/plain", "{\"title\":\"x\",\"content\":\"y\"}".getBytes(
            StandardCharsets.UTF_8)).send(), 415, "unsupported_media_type");
    assertProblem(STACK.api().post(CREATE_DOCUMENT).tenant(TENANT)
        .body("application/x-www-form-urlencoded", "title=x".getBytes(StandardCharsets.UTF_8))
        .send(), 415, "unsupported_media_type");
  }

  @Test
  void wrongMethodIs405() {
    Api.Response response = STACK.api().get(CREATE_DOCUMENT).tenant(TENANT).send();
    assertProblem(response, 405, "method_not_allowed");
    assertEquals("POST", response.header("Allow"));
    assertProblem(STACK.api().post(GET_DOCUMENT).tenant(TENANT).json("{}").send(), 405,
        "method_not_allowed");
  }

  @Test
  void noCredentialsIs401() {
    assertProblem(STACK.api().post(CREATE_DOCUMENT).tenant(null)
        .json("{\"title\":\"x\",\"content\":\"y\"}").send(), 401, "unauthenticated");
    assertProblem(STACK.api().get(LIST_DOCUMENTS).tenant(null).send(), 401, "unauthenticated");
    assertProblem(STACK.api().get(LIST_DOCUMENTS).tenant("bad tenant/../x").send(), 401,
        "unauthenticated");
  }

  static Stream<Arguments> badReads() {
    Function<String, Api.Request> getDocument = q -> STACK.api().get(GET_DOCUMENT).query(q);
    Function<String, Api.Request> content = q -> STACK.api().get(GET_VERSION_CONTENT).query(q);
    Function<String, Api.Request> list = q -> STACK.api().get(LIST_DOCUMENTS).query(q);
    String uuid = "00000000-0000-4000-8000-000000000000";
    return Stream.of(
        Arguments.of("getDocument without documentId", getDocument.apply(""), 400),
        Arguments.of("getDocument with a non-UUID", getDocument.apply("documentId=abc"), 400),
        Arguments.of("getDocument of a missing id", getDocument.apply("documentId=" + uuid), 404),
        Arguments.of("getDocument with an unknown parameter",
            getDocument.apply("documentId=" + uuid + "&x=1"), 400),
        Arguments.of("content with version 0",
            content.apply("documentId=" + uuid + "&version=0"), 400),
        Arguments.of("content with version -1",
            content.apply("documentId=" + uuid + "&version=-1"), 400),
        Arguments.of("content with version 'one'",
            content.apply("documentId=" + uuid + "&version=one"), 400),
        Arguments.of("content of a missing version",
            content.apply("documentId=" + uuid + "&version=1"), 404),
        Arguments.of("list with pageSize 0", list.apply("pageSize=0"), 400),
        Arguments.of("list with pageSize 101", list.apply("pageSize=101"), 400),
        Arguments.of("list with pageSize x", list.apply("pageSize=x"), 400),
        Arguments.of("list with a forged token", list.apply("pageToken=%25%25%25"), 400));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badReads")
  void readsReject(String name, Api.Request request, int status) {
    Api.Response response = request.tenant(TENANT).send();
    assertProblem(response, status, status == 404 ? "not_found" : "invalid_request");
  }

  @Test
  void aQueryThatIsNotPercentEncodedUtf8Is400() {
    // java.net.URI refuses these, so they go over a raw socket.
    for (String target : List.of("/listDocuments?pageSize=%zz", "/listDocuments?pageSize=%C0%AF",
        "/getDocument?documentId=%E0%A4%A", "/getUsage?from=2024-01-01&to=%", "/listDocuments?%")) {
      Api.Response response = STACK.api().raw(("GET " + target + " HTTP/1.1\r\n"
          + "Host: localhost\r\nX-Tenant-Id: " + TENANT + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      assertProblem(response, 400, "invalid_request");
    }
  }

  @Test
  void invalidIdempotencyKeysAre400() {
    for (String key : List.of("a".repeat(256), "has space", "")) {
      Api.Response response = STACK.api().post(CREATE_DOCUMENT).tenant(TENANT).key(key)
          .json("{\"title\":\"x\",\"content\":\"y\"}").send();
      assertProblem(response, 400, "invalid_request");
    }
    // java.net.http will not send these, so they go over a raw socket.
    byte[][] rawKeys = {{'a', 0x01, 'b'}, {'a', 0x7f, 'b'}, {'c', 'a', 'f', (byte) 0xc3,
        (byte) 0xa9}, {'t', '\t', 'b'}};
    for (byte[] key : rawKeys) {
      byte[] body = "{\"title\":\"x\",\"content\":\"y\"}".getBytes(StandardCharsets.UTF_8);
      java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
      request.writeBytes(("POST /createDocument HTTP/1.1\r\nHost: localhost\r\n"
          + "X-Tenant-Id: " + TENANT + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n"
          + "Idempotency-Key: ").getBytes(StandardCharsets.ISO_8859_1));
      request.writeBytes(key);
      request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      request.writeBytes(body);
      Api.Response response = STACK.api().raw(request.toByteArray());
      assertProblem(response, 400, "invalid_request");
    }
  }

  @AfterAll
  static void nothingWasStored() {
    assertEquals("Documents=0 DocumentVersions=0 IdempotencyRecords=0 AnalyticsOutbox=0"
        + " DailyApiUsage=0 DailyApiUsageShards=0 ProcessedEvents=0", STACK.rows().census(TENANT));
  }

  static void assertProblem(Api.Response response, int status, String code) {
    assertEquals(status, response.status(), response.toString());
    assertEquals("application/problem+json", response.header("Content-Type"));
    assertEquals(code, response.code());
    assertEquals(status, response.json().get("status").asInt());
    assertTrue(response.json().get("type").asText().endsWith("/" + code));
    assertEquals(response.header("X-Request-Id"), response.json().get("requestId").asText());
    assertFalse(response.text().contains("Exception"), "no exception text: " + response);
    assertFalse(response.text().contains("at dev.docstore"), "no stack trace: " + response);
    assertEquals("no-store", response.header("Cache-Control"));
  }
}

package dev.docstore.it;

import static dev.docstore.api.Operation.GET_USAGE;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.functions.invoker.runner.Invoker;
import dev.docstore.functions.GetUsage;
import dev.docstore.testing.DocstoreClient;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every path of the local stack answers in the functions' own format: a path no function serves
 * is 404 {@code not_found} problem+json with {@code X-Request-Id} and {@code Cache-Control:
 * no-store}, whatever the method, and a request the server cannot even parse is a problem too;
 * no answer names the server software ({@link Api} checks that on every exchange). Deployed, a
 * function has no paths of its own: the Functions Framework hands it every path below its URL.
 */
class UnknownPathTest {
  @RegisterExtension
  static final Stack STACK = new Stack();
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final List<String> PROBLEM_FIELDS =
      List.of("type", "title", "status", "detail", "code", "requestId");

  static Stream<Arguments> unknownPaths() {
    List<Arguments> cases = new ArrayList<>();
    for (String path : List.of("", "nope", "createDocument/extra", "createDocument/",
        "CreateDocument", "favicon.ico", "robots.txt", "getDocument/x/y",
        "analyticsSubscriber/extra", "publishOutbox/")) {
      for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD",
          "TRACE")) {
        cases.add(Arguments.of(method, path));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} /{1}")
  @MethodSource("unknownPaths")
  void aPathNoFunctionServesIsNotFoundProblemJson(String method, String path) {
    String id = "unknown-" + IDS.incrementAndGet();
    Api.Request request = STACK.api().request(method, path).header("X-Request-Id", id)
        .query("documentId=" + UUID.randomUUID());
    if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      request.json("{\"title\":\"x\",\"content\":\"y\"}");
    }
    Api.Response response = request.send();
    assertEquals(404, response.status(), response.toString());
    assertEquals(id, response.header("X-Request-Id"));
    assertEquals("no-store", response.header("Cache-Control"));
    if (!method.equals("HEAD")) {
      assertNotFoundProblem(response, id);
    }
  }

  @Test
  void theRequestIdIsEchoedWhenValidAndGeneratedOtherwise() {
    Api.Response invalid = STACK.api().request("GET", "nope")
        .header("X-Request-Id", "not a valid id").send();
    String generated = invalid.header("X-Request-Id");
    assertNotEquals("not a valid id", generated);
    assertEquals(generated, UUID.fromString(generated).toString(), "a generated UUID");
    assertNotFoundProblem(invalid, generated);

    Api.Response none = STACK.api().request("POST", "createDocument/extra").send();
    String other = none.header("X-Request-Id");
    assertEquals(other, UUID.fromString(other).toString(), "a generated UUID");
    assertNotEquals(generated, other);
    assertNotFoundProblem(none, other);
  }

  @Test
  void theFunctionsThemselvesSendNoServerHeader() {
    // Api fails any exchange that carries a Server header; these reach the functions.
    assertEquals(200, STACK.api().get(LIST_DOCUMENTS).send().status());
    assertEquals(405, STACK.api().post(LIST_DOCUMENTS).send().status());
    assertEquals(401, STACK.api().get(LIST_DOCUMENTS).tenant(null).send().status());
  }

  static Stream<Arguments> unparseableRequests() {
    return Stream.of(
        Arguments.of("a request line that is not HTTP", "NONSENSE\r\n\r\n"),
        Arguments.of("an encoded dot segment", "GET /%2e%2e/listDocuments HTTP/1.1\r\n"
            + "Host: localhost\r\nConnection: close\r\n\r\n"),
        Arguments.of("a path above the root", "GET /../../listDocuments HTTP/1.1\r\n"
            + "Host: localhost\r\nConnection: close\r\n\r\n"),
        Arguments.of("an asterisk as the target of a GET", "GET * HTTP/1.1\r\n"
            + "Host: localhost\r\nConnection: close\r\n\r\n"),
        Arguments.of("no Host header", "GET /listDocuments HTTP/1.1\r\n"
            + "Connection: close\r\n\r\n"),
        Arguments.of("a header without a colon", "GET /listDocuments HTTP/1.1\r\n"
            + "Host: localhost\r\nno colon here\r\nConnection: close\r\n\r\n"),
        Arguments.of("headers far too large", "GET /listDocuments HTTP/1.1\r\n"
            + "Host: localhost\r\nX-Large: " + "x".repeat(64 * 1024) + "\r\n"
            + "Connection: close\r\n\r\n"),
        Arguments.of("a URI far too long", "GET /listDocuments?pageToken="
            + "x".repeat(64 * 1024) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unparseableRequests")
  void aRequestTheServerCannotParseIsAProblemToo(String name, String request) {
    Api.Response response = STACK.api().raw(request.getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
    assertEquals("application/problem+json", response.header("Content-Type"),
        response.toString());
    String id = response.header("X-Request-Id");
    assertEquals(id, UUID.fromString(id).toString(), "a generated UUID: " + response);
    assertEquals("no-store", response.header("Cache-Control"));
    JsonNode body = response.json();
    assertEquals(PROBLEM_FIELDS, fieldNames(body), response.toString());
    assertEquals(response.status(), body.get("status").asInt());
    assertEquals("invalid_request", body.get("code").asText());
    assertEquals(id, body.get("requestId").asText());
    assertTrue(response.text().toLowerCase().indexOf("jetty") < 0, response.toString());
  }

  /**
   * Jetty refuses a {@code GET *} itself once it has read the request (an error it reports while
   * dispatching, not a bad message), so the request's own id is kept.
   */
  @Test
  void anErrorJettyReportsWhileDispatchingKeepsTheRequestId() {
    Api.Response response = STACK.api().raw(("GET * HTTP/1.1\r\nHost: localhost\r\n"
        + "X-Request-Id: star-1\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(400, response.status(), response.toString());
    assertEquals("application/problem+json", response.header("Content-Type"));
    assertEquals("star-1", response.header("X-Request-Id"), response.toString());
    assertEquals("no-store", response.header("Cache-Control"));
    JsonNode body = response.json();
    assertEquals(PROBLEM_FIELDS, fieldNames(body), response.toString());
    assertEquals("invalid_request", body.get("code").asText());
    assertEquals("star-1", body.get("requestId").asText());
  }

  /**
   * The CloudEvent function is the framework's executor: what it cannot read it answers with a
   * bare 500, which the local server gives the problem body of that status.
   */
  @Test
  void whatTheCloudEventFunctionCannotReadIsAProblemToo() {
    for (String method : List.of("GET", "POST")) {
      Api.Response response = STACK.api().raw((method + " /analyticsSubscriber HTTP/1.1\r\n"
          + "Host: localhost\r\nX-Request-Id: event-1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 9\r\nConnection: close\r\n\r\n{not json")
          .getBytes(StandardCharsets.ISO_8859_1));
      assertEquals(500, response.status(), response.toString());
      assertEquals("application/problem+json", response.header("Content-Type"));
      assertEquals("event-1", response.header("X-Request-Id"));
      assertEquals("no-store", response.header("Cache-Control"));
      JsonNode body = response.json();
      assertEquals(PROBLEM_FIELDS, fieldNames(body), response.toString());
      assertEquals(500, body.get("status").asInt());
      assertEquals("internal", body.get("code").asText());
      assertEquals("event-1", body.get("requestId").asText());
    }
  }

  /**
   * Deployed, each function runs alone in the Functions Framework's invoker, which maps every
   * path to it: the function answers any path below its URL as itself. Started here as Cloud
   * Functions starts it, on the functions of this test's stack.
   */
  @Test
  void deployedAFunctionAnswersEveryPathBelowItsUrlAsItself() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Invoker invoker = new Invoker(port, GetUsage.class.getName(), "http",
        UnknownPathTest.class.getClassLoader());
    invoker.startTestServer();
    try {
      DocstoreClient deployed = new DocstoreClient("http://127.0.0.1:" + port, "deployed",
          "u-1");
      for (String path : List.of("", GET_USAGE.functionName(), "extra", "getUsage/extra/deeper",
          "favicon.ico/x")) {
        String id = "deployed-" + IDS.incrementAndGet();
        DocstoreClient.Response usage = deployed.request("GET", path).header("X-Request-Id", id)
            .query("from=2026-01-01&to=2026-01-02").send();
        assertEquals(200, usage.status(), path + ": " + usage);
        assertTrue(usage.json().get("days").isArray(), usage.toString());
        assertEquals(id, usage.header("X-Request-Id"));
        assertEquals("no-store", usage.header("Cache-Control"));

        DocstoreClient.Response post = deployed.request("POST", path).send();
        assertEquals(405, post.status(), path + ": " + post);
        assertEquals("method_not_allowed", post.code());
        assertEquals("GET", post.header("Allow"));

        DocstoreClient.Response missing = deployed.request("GET", path).send();
        assertEquals(400, missing.status(), path + ": " + missing);
        assertEquals("invalid_request", missing.code());
      }
      // The invoker answers these two itself, before the function, as a plain 404.
      for (String path : List.of("favicon.ico", "robots.txt")) {
        DocstoreClient.Response response = deployed.request("GET", path).send();
        assertEquals(404, response.status(), path + ": " + response);
        assertNull(response.header("X-Request-Id"), path + ": " + response);
      }
    } finally {
      invoker.stopServer();
    }
  }

  private static void assertNotFoundProblem(Api.Response response, String requestId) {
    assertEquals("application/problem+json", response.header("Content-Type"),
        response.toString());
    JsonNode body = response.json();
    assertEquals(PROBLEM_FIELDS, fieldNames(body), response.toString());
    assertEquals("https://docstore.dev/problems/not_found", body.get("type").asText());
    assertEquals(404, body.get("status").asInt());
    assertEquals("not_found", body.get("code").asText());
    assertEquals("no function is served at this path", body.get("detail").asText());
    assertEquals(requestId, body.get("requestId").asText());
  }

  private static List<String> fieldNames(JsonNode body) {
    List<String> names = new ArrayList<>();
    body.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

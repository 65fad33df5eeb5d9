package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static dev.docstore.api.Operation.PUBLISH_OUTBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.api.Operation.Trigger;
import dev.docstore.functions.EntryPoints;
import dev.docstore.functions.EntryPoints.EntryPoint;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CORS for the frontend, driven by ALLOWED_ORIGINS. */
class CorsTest {
  private static final String APP = "https://app.example.com";
  private static final String EVIL = "https://evil.example.net";

  @RegisterExtension
  static final Stack STACK = new Stack()
      .env("ALLOWED_ORIGINS", APP + ", http://localhost:5173");

  static Stream<EntryPoint> frontendFunctions() {
    return EntryPoints.ALL.stream().filter(e -> e.trigger() == Trigger.HTTP_PUBLIC);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frontendFunctions")
  void preflightFromAnAllowedOriginGrantsTheFunctionsMethodAndHeaders(EntryPoint entry) {
    Api.Response r = STACK.api().options(entry.name()).tenant(null)
        .header("Origin", APP)
        .header("Access-Control-Request-Method", entry.method())
        .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
        .send();
    assertEquals(204, r.status(), r.toString());
    assertEquals(APP, r.header("Access-Control-Allow-Origin"));
    assertEquals(entry.method(), r.header("Access-Control-Allow-Methods"));
    String allowed = r.header("Access-Control-Allow-Headers");
    for (String header : new String[] {"Authorization", "Content-Type", "Idempotency-Key",
        "X-Request-Id", "If-None-Match", "If-Match", "Range", "If-Range"}) {
      assertTrue(allowed.contains(header), header + " in " + allowed);
    }
    assertTrue(r.header("Vary").contains("Origin"));
    assertTrue(r.body().length == 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frontendFunctions")
  void preflightFromAnUnknownOriginGetsNoCorsHeaders(EntryPoint entry) {
    Api.Response r = STACK.api().options(entry.name()).tenant(null).header("Origin", EVIL)
        .header("Access-Control-Request-Method", entry.method()).send();
    assertNull(r.header("Access-Control-Allow-Origin"));
    assertNull(r.header("Access-Control-Allow-Methods"));
    assertNull(r.header("Access-Control-Allow-Headers"));
  }

  @Test
  void anAllowedOriginCanReadTheAnswerAndItsHeaders() {
    Api.Response r = STACK.api().post(CREATE_DOCUMENT).tenant("cors").header("Origin", APP)
        .key("cors-1").json(Map.of("title", "t", "content", "c")).send();
    assertEquals(201, r.status());
    assertEquals(APP, r.header("Access-Control-Allow-Origin"));
    String exposed = r.header("Access-Control-Expose-Headers");
    assertTrue(exposed.contains("Idempotent-Replayed") && exposed.contains("X-Request-Id"),
        exposed);
    Api.Response error = STACK.api().get(GET_DOCUMENT).tenant("cors")
        .header("Origin", "http://localhost:5173").query("documentId=nope").send();
    assertEquals(400, error.status());
    assertEquals("http://localhost:5173", error.header("Access-Control-Allow-Origin"),
        "errors are readable by the page too");
  }

  @Test
  void aPageCanReadARangeOfContentAndItsHeaders() {
    Api.Response created = STACK.api().post(CREATE_DOCUMENT).tenant("cors")
        .json(Map.of("title", "t", "content", "0123456789")).send();
    assertEquals(201, created.status(), created.toString());
    Api.Response r = STACK.api().get(GET_VERSION_CONTENT).tenant("cors").header("Origin", APP)
        .query("documentId=" + created.json().at("/document/documentId").asText()
            + "&version=1")
        .header("Range", "bytes=2-3").send();
    assertEquals(206, r.status(), r.toString());
    assertEquals(APP, r.header("Access-Control-Allow-Origin"));
    String exposed = r.header("Access-Control-Expose-Headers");
    for (String header : new String[] {"ETag", "Content-Range", "Accept-Ranges",
        "Content-Disposition", "X-Request-Id"}) {
      assertTrue(exposed.contains(header), header + " in " + exposed);
    }
    assertEquals("Authorization, X-Tenant-Id, X-User-Id, Origin", r.header("Vary"),
        "one Vary: the credentials the content is cached for, and the origin");
  }

  @Test
  void anUnknownOriginGetsNoCorsHeadersOnActualRequests() {
    Api.Response r = STACK.api().get(LIST_DOCUMENTS).tenant("cors").header("Origin", EVIL)
        .send();
    assertEquals(200, r.status());
    assertNull(r.header("Access-Control-Allow-Origin"));
    assertNull(r.header("Access-Control-Expose-Headers"));
  }

  @Test
  void backgroundFunctionsHaveNoCors() {
    Api.Response r = STACK.api().options(PUBLISH_OUTBOX).tenant(null).header("Origin", APP)
        .header("Access-Control-Request-Method", "POST").send();
    assertEquals(405, r.status());
    assertNull(r.header("Access-Control-Allow-Origin"));
  }
}

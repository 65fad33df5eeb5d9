package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docstore.local.ProjectFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract checker catches drift: no server here, only hand-made exchanges. */
class OpenApiContractTest {
  private static final OpenApiContract CONTRACT = OpenApiContract.get();
  private static final String ID = "0b0e8a4c-3b0a-4d3e-9a54-1f2a3b4c5d6e";
  private static final String SHA = "a".repeat(64);
  private static final Map<String, String> DEV = Map.of("X-Tenant-Id", "t-1",
      "Content-Type", "application/json");
  private static final Map<String, String> JSON_HEADERS = Map.of("X-Request-Id", "req-1",
      "Cache-Control", "no-store", "Content-Type", "application/json", "ETag", "\"e1\"");

  private static ObjectNode created() {
    ObjectNode body = Api.JSON.createObjectNode();
    ObjectNode document = body.putObject("document");
    document.put("documentId", ID);
    document.put("title", "Plan");
    document.put("state", "LIVE");
    document.put("activeVersion", 1);
    document.put("latestVersion", 1);
    document.put("createdAt", "2026-01-02T03:04:05.123456Z");
    document.put("updatedAt", "2026-01-02T03:04:05.123456Z");
    document.put("createdBy", "u-1");
    document.put("etag", "\"e1\"");
    ObjectNode version = body.putObject("version");
    version.put("documentId", ID);
    version.put("version", 1);
    version.put("state", "LIVE");
    version.put("contentSha256", SHA);
    version.put("contentLength", 5);
    version.put("contentType", "text/plain; charset=utf-8");
    version.put("createdAt", "2026-01-02T03:04:05.123456Z");
    version.put("createdBy", "u-1");
    return body;
  }

  private static OpenApiContract.Exchange createDocument(int status,
      Map<String, String> responseHeaders, Object responseBody) {
    return new OpenApiContract.Exchange("POST", "/createDocument", "", DEV,
        bytes("{\"title\":\"Plan\",\"content\":\"hello\"}"), status, responseHeaders,
        bytes(responseBody.toString()));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aDocumentedResponsePasses() {
    assertEquals(List.of(), CONTRACT.violations(createDocument(201, JSON_HEADERS, created())));
  }

  @Test
  void anUndocumentedFieldFails() {
    ObjectNode body = created();
    ((ObjectNode) body.get("document")).put("tenantId", "t-1");
    List<String> violations = CONTRACT.violations(createDocument(201, JSON_HEADERS, body));
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("tenantId"), violations.toString());
    AssertionError error = assertThrows(AssertionError.class,
        () -> CONTRACT.check(createDocument(201, JSON_HEADERS, body)));
    assertTrue(error.getMessage().contains("POST /createDocument -> 201"), error.getMessage());
  }

  @Test
  void aCreatedBodyWithoutItsVersionFails() {
    ObjectNode body = created();
    body.remove("version");
    List<String> violations = CONTRACT.violations(createDocument(201, JSON_HEADERS, body));
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("version"), violations.toString());
  }

  @Test
  void aWrongTypeOrFormatFails() {
    ObjectNode body = created();
    ((ObjectNode) body.get("version")).put("contentLength", "5");
    ((ObjectNode) body.get("document")).put("createdAt", "yesterday");
    assertEquals(2, CONTRACT.violations(createDocument(201, JSON_HEADERS, body)).size());
  }

  @Test
  void aDeletedAtOnALiveVersionFails() {
    ObjectNode body = created();
    ((ObjectNode) body.get("version")).put("deletedAt", "2026-01-02T03:04:05Z");
    assertEquals(1, CONTRACT.violations(createDocument(201, JSON_HEADERS, body)).size());
  }

  @Test
  void missingResponseHeadersFail() {
    List<String> violations = CONTRACT.violations(createDocument(201,
        Map.of("Content-Type", "application/json"), created()));
    assertEquals(3, violations.size(), "X-Request-Id, Cache-Control, ETag: " + violations);
  }

  @Test
  void anUndocumentedStatusFails() {
    List<String> violations = CONTRACT.violations(createDocument(404, JSON_HEADERS, "{}"));
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("404"));
  }

  @Test
  void problemCodeMustMatchItsStatus() {
    String problem = "{\"type\":\"https://docstore.dev/problems/not_found\",\"title\":\"Not found\","
        + "\"status\":400,\"detail\":\"d\",\"code\":\"not_found\",\"requestId\":\"req-1\"}";
    Map<String, String> headers = Map.of("X-Request-Id", "req-1", "Cache-Control", "no-store",
        "Content-Type", "application/problem+json");
    List<String> violations = CONTRACT.violations(createDocument(400, headers, problem));
    assertEquals(1, violations.size(), violations.toString());
    assertEquals(List.of(), CONTRACT.violations(createDocument(400, headers,
        problem.replace("not_found", "invalid_request"))));
  }

  @Test
  void aPathNotInTheContractMustBeTheDocumentedNotFound() {
    String notFound = "{\"type\":\"https://docstore.dev/problems/not_found\",\"title\":"
        + "\"Not found\",\"status\":404,\"detail\":\"no function is served at this path\","
        + "\"code\":\"not_found\",\"requestId\":\"req-1\"}";
    Map<String, String> problem = Map.of("X-Request-Id", "req-1", "Cache-Control", "no-store",
        "Content-Type", "application/problem+json");
    for (String method : List.of("GET", "POST", "DELETE")) {
      assertEquals(List.of(), CONTRACT.violations(new OpenApiContract.Exchange(method,
          "/createDocument/extra", "", DEV, null, 404, problem, bytes(notFound))));
    }
    assertEquals(List.of(), CONTRACT.violations(new OpenApiContract.Exchange("HEAD", "/nope",
        "", DEV, null, 404, problem, null)), "a HEAD has no body");
    List<String> html = CONTRACT.violations(new OpenApiContract.Exchange("GET", "/nope", "",
        DEV, null, 404, Map.of("Content-Type", "text/html"), bytes("<h1>404</h1>")));
    assertEquals(3, html.size(), html.toString()); // X-Request-Id, Cache-Control, media type
    List<String> served = CONTRACT.violations(new OpenApiContract.Exchange("GET", "/nope", "",
        DEV, null, 200, JSON_HEADERS, bytes("{}")));
    assertEquals(1, served.size(), served.toString());
    assertTrue(served.get(0).contains("not in the contract"), served.toString());
  }

  @Test
  void aRequestIsCheckedOnlyWhenItSucceeded() {
    byte[] unknownField = bytes("{\"title\":\"Plan\",\"content\":\"x\",\"owner\":\"o\"}");
    OpenApiContract.Exchange accepted = new OpenApiContract.Exchange("POST", "/createDocument",
        "", DEV, unknownField, 201, JSON_HEADERS, bytes(created().toString()));
    List<String> violations = CONTRACT.violations(accepted);
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).startsWith("request body"), violations.toString());

    String problem = "{\"type\":\"https://docstore.dev/problems/invalid_request\","
        + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"unknown field 'owner'\","
        + "\"code\":\"invalid_request\",\"requestId\":\"req-1\"}";
    OpenApiContract.Exchange refused = new OpenApiContract.Exchange("POST", "/createDocument",
        "", DEV, unknownField, 400, Map.of("X-Request-Id", "req-1", "Cache-Control", "no-store",
            "Content-Type", "application/problem+json"), bytes(problem));
    assertEquals(List.of(), CONTRACT.violations(refused));
  }

  @Test
  void queryParametersAreCheckedAsTheirTypes() {
    String page = "{\"documents\":[]}";
    assertEquals(List.of(), CONTRACT.violations(new OpenApiContract.Exchange("GET",
        "/listDocuments", "pageSize=20", DEV, null, 200, JSON_HEADERS, bytes(page))));
    assertEquals(1, CONTRACT.violations(new OpenApiContract.Exchange("GET", "/listDocuments",
        "pageSize=101", DEV, null, 200, JSON_HEADERS, bytes(page))).size());
    assertEquals(1, CONTRACT.violations(new OpenApiContract.Exchange("GET", "/listDocuments",
        "limit=5", DEV, null, 200, JSON_HEADERS, bytes(page))).size());
  }

  @Test
  void anotherMethodMustBeTheDocumented405() {
    String problem = "{\"type\":\"https://docstore.dev/problems/method_not_allowed\","
        + "\"title\":\"Method not allowed\",\"status\":405,\"detail\":\"d\","
        + "\"code\":\"method_not_allowed\",\"requestId\":\"req-1\"}";
    Map<String, String> headers = Map.of("X-Request-Id", "req-1", "Allow", "POST",
        "Content-Type", "application/problem+json");
    assertEquals(List.of(), CONTRACT.violations(new OpenApiContract.Exchange("GET",
        "/createDocument", "", DEV, null, 405, headers, bytes(problem))));
    assertEquals(1, CONTRACT.violations(new OpenApiContract.Exchange("GET",
        "/createDocument", "", DEV, null, 200, JSON_HEADERS, bytes(created().toString())))
        .size());
  }

  @Test
  void aMalformedContractRefusesToLoad() throws Exception {
    String yaml = java.nio.file.Files.readString(
        ProjectFiles.root().resolve("docs/openapi.yaml"));
    IllegalStateException dangling = assertThrows(IllegalStateException.class,
        () -> OpenApiContract.fromYaml(yaml.replace("'#/components/schemas/DocumentAndVersion'",
            "'#/components/schemas/Missing'")));
    assertTrue(dangling.getMessage().contains("Missing"), dangling.getMessage());
    IllegalStateException typo = assertThrows(IllegalStateException.class,
        () -> OpenApiContract.fromYaml(yaml.replace("operationId: getUsage",
            "operationid: getUsage")));
    assertTrue(typo.getMessage().contains("operationid"), typo.getMessage());
  }

  /** The headers of a 200 of getVersionContent, with its content type. */
  private static Map<String, String> contentHeaders(String contentType) {
    Map<String, String> headers = new java.util.HashMap<>(Map.of("X-Request-Id", "req-1",
        "Cache-Control", "private, max-age=31536000, immutable",
        "Vary", "Authorization, X-Tenant-Id, X-User-Id, Origin", "ETag", "\"" + SHA + "\"",
        "Accept-Ranges", "bytes", "Content-Disposition", "inline",
        "X-Content-Type-Options", "nosniff", "Content-Security-Policy", "sandbox"));
    headers.put("Content-Type", contentType);
    return headers;
  }

  private static OpenApiContract.Exchange content(int status, Map<String, String> headers,
      byte[] body) {
    return new OpenApiContract.Exchange("GET", "/getVersionContent",
        "documentId=" + ID + "&version=1", DEV, null, status, headers, body);
  }

  @Test
  void rawContentPassesWithItsEtag() {
    assertEquals(List.of(), CONTRACT.violations(content(200, contentHeaders("image/png"),
        new byte[] {(byte) 0x89, 'P', 'N', 'G'})));
  }

  @Test
  void contentThatCachesCouldShareOrBrowsersCouldRunFails() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    Map<String, String> noStore = contentHeaders("image/png");
    noStore.put("Cache-Control", "no-store");
    assertEquals(1, CONTRACT.violations(content(200, noStore, png)).size());
    Map<String, String> shared = contentHeaders("image/png");
    shared.put("Vary", "Origin");
    assertEquals(1, CONTRACT.violations(content(200, shared, png)).size());
    Map<String, String> sniffable = contentHeaders("image/png");
    sniffable.remove("X-Content-Type-Options");
    assertEquals(1, CONTRACT.violations(content(200, sniffable, png)).size());
    Map<String, String> partial = contentHeaders("image/png");
    assertEquals(1, CONTRACT.violations(content(206, partial, png)).size(),
        "a 206 without Content-Range");
    partial.put("Content-Range", "bytes 0-3/10");
    assertEquals(List.of(), CONTRACT.violations(content(206, partial, png)));
  }
}

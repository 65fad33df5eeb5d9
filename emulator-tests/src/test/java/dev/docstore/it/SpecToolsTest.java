package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import dev.docstore.local.ProjectFiles;
import dev.docstore.tools.NpmTool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.yaml as the ecosystem's tools take it, each pinned and installed by the build into
 * {@code emulator-tests/target/npm-spec-tools}: Spectral ({@code spectral:oas}, {@code
 * .spectral.yaml}) and Redocly ({@code recommended}, {@code redocly.yaml}) report nothing; Prism
 * as a validating proxy flags a wrong response body and a wrong request body and passes a
 * correct exchange; Prism's mock answers complete objects; openapi-typescript, run without
 * flags, makes every optional request field optional.
 */
class SpecToolsTest {
  private static final String SPECTRAL = "@stoplight/spectral-cli";
  private static final String REDOCLY = "@redocly/cli";
  private static final String PRISM = "@stoplight/prism-cli";
  private static final String OPENAPI_TYPESCRIPT = "openapi-typescript";
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration PRISM_START = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> DEV = Map.of(
      "Content-Type", "application/json", "X-Tenant-Id", "acme", "X-User-Id", "alice");
  private static final String CREATE_REQUEST = "{\"title\":\"Hello\",\"content\":\"hello\"}";
  private static final String ETAG = "\"5d41402abc4b2a76b9719d91\"";

  private static Path root;
  private static Path spec;
  private static NpmTool tools;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void install() throws Exception {
    root = ProjectFiles.root();
    spec = root.resolve("docs/openapi.yaml");
    Map<String, String> packages = new LinkedHashMap<>();
    packages.put(SPECTRAL, "6.16.3");
    packages.put(REDOCLY, "2.77.0");
    packages.put(PRISM, "5.16.0");
    packages.put(OPENAPI_TYPESCRIPT, "7.13.0");
    tools = new NpmTool(root.resolve("emulator-tests/target/npm-spec-tools"), packages,
        "The OpenAPI tool checks (SpecToolsTest)");
    tools.install();
  }

  // ---- linters ----

  @Test
  void spectralReportsNothing() throws Exception {
    assertEquals(List.of(), spectral(spec));
  }

  @Test
  void redoclyReportsNothing() throws Exception {
    JsonNode totals = redocly(spec).path("totals");
    assertEquals(0, totals.path("errors").asInt(-1), totals.toString());
    assertEquals(0, totals.path("warnings").asInt(-1), totals.toString());
  }

  /** The counts above are read right: a planted unused schema is found by both linters. */
  @Test
  void bothLintersCountAPlantedWarning(@TempDir Path dir) throws Exception {
    String yaml = Files.readString(spec, StandardCharsets.UTF_8);
    String anchor = "  schemas:\n";
    assertTrue(yaml.contains(anchor));
    Path planted = dir.resolve("openapi.yaml");
    Files.writeString(planted,
        yaml.replace(anchor, anchor + "    Unused:\n      type: string\n"),
        StandardCharsets.UTF_8);
    List<String> spectral = spectral(planted);
    assertTrue(spectral.stream().anyMatch(r -> r.contains("oas3-unused-component")
        && r.contains("[\"components\",\"schemas\",\"Unused\"]")), spectral.toString());
    JsonNode redocly = redocly(planted);
    assertTrue(redocly.path("totals").path("warnings").asInt() >= 1, redocly.toString());
    assertTrue(redocly.toString().contains("#/components/schemas/Unused"), redocly.toString());
  }

  /** Each Spectral result as {@code code path message}, at any severity. */
  private static List<String> spectral(Path file) throws Exception {
    NpmTool.Result result = tools.run(
        List.of(tools.bin("spectral").toString(), "lint", file.toString(),
            "--ruleset", root.resolve(".spectral.yaml").toString(), "--format", "json",
            "--fail-severity", "hint", "--quiet"),
        root, RUN_TIMEOUT, Map.of());
    JsonNode results = JSON.readTree(result.stdout().isBlank() ? "[]" : result.stdout());
    assertTrue(results.isArray(), result.output());
    List<String> out = new ArrayList<>();
    results.forEach(r -> out.add(r.path("code").asText() + " " + r.path("path") + " "
        + r.path("message").asText()));
    if (out.isEmpty()) {
      assertEquals(0, result.exit(), result.output());
    }
    return out;
  }

  private static JsonNode redocly(Path file) throws Exception {
    NpmTool.Result result = tools.run(
        List.of(tools.bin("redocly").toString(), "lint", file.toString(),
            "--config", root.resolve("redocly.yaml").toString(), "--format", "json"),
        root, RUN_TIMEOUT, Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE",
            "true"));
    String out = result.stdout();
    int start = out.indexOf('{');
    assertTrue(start >= 0, result.output());
    return JSON.readTree(out.substring(start));
  }

  // ---- Prism ----

  @Test
  void prismAsAProxyFlagsAWrongResponseBodyAndPassesACorrectExchange() throws Exception {
    AtomicReference<String> answer = new AtomicReference<>(created(15));
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("X-Request-Id", "r-1");
      exchange.getResponseHeaders().add("ETag", ETAG);
      exchange.getResponseHeaders().add("Cache-Control", "no-store");
      exchange.sendResponseHeaders(201, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    upstream.start();
    try (Prism prism = Prism.start("proxy",
        "http://127.0.0.1:" + upstream.getAddress().getPort())) {
      HttpResponse<String> good = prism.post(http, "/createDocument", CREATE_REQUEST);
      assertEquals(201, good.statusCode(), good.body());
      assertNull(good.headers().firstValue("sl-violations").orElse(null),
          "a correct exchange is flagged: " + good.headers().map());

      answer.set(created(15).replace("\"contentLength\":15", "\"contentLength\":\"15\""));
      JsonNode wrong = violations(prism.post(http, "/createDocument", CREATE_REQUEST));
      assertEquals(1, wrong.size(), wrong.toString());
      assertEquals("[\"response\",\"body\",\"version\",\"contentLength\"]",
          wrong.get(0).path("location").toString(), wrong.toString());

      answer.set(created(15));
      JsonNode badRequest = violations(prism.post(http, "/createDocument", "{\"title\":\"x\"}"));
      assertTrue(badRequest.size() >= 1, badRequest.toString());
      badRequest.forEach(v -> assertEquals("[\"request\",\"body\"]", v.path("location").toString(),
          badRequest.toString()));
    } finally {
      upstream.stop(0);
    }
  }

  private static JsonNode violations(HttpResponse<String> response) throws IOException {
    String header = response.headers().firstValue("sl-violations").orElse(null);
    assertTrue(header != null, "Prism flagged nothing: " + response.headers().map());
    return JSON.readTree(header);
  }

  @Test
  void prismsMockAnswersCompleteObjects() throws Exception {
    OpenApiContract contract = OpenApiContract.get();
    try (Prism prism = Prism.start("mock")) {
      List<String> problems = new ArrayList<>();
      HttpResponse<String> created = prism.post(http, "/createDocument", CREATE_REQUEST);
      problems.addAll(bodyViolations(contract, "POST", "/createDocument", "", CREATE_REQUEST,
          created));
      String id = JSON.readTree(created.body()).path("document").path("documentId").asText();
      for (String[] read : new String[][] {
          {"/getDocument", "documentId=" + id},
          {"/listVersions", "documentId=" + id},
          {"/listDocuments", ""}}) {
        HttpResponse<String> response = prism.get(http, read[0], read[1]);
        assertEquals(200, response.statusCode(), read[0] + " " + response.body());
        problems.addAll(bodyViolations(contract, "GET", read[0], read[1], null, response));
      }
      assertEquals(List.of(), problems);
    }
  }

  /** The contract's findings on the body alone: the mock invents header values. */
  private static List<String> bodyViolations(OpenApiContract contract, String method, String path,
      String query, String requestBody, HttpResponse<String> response) {
    Map<String, String> headers = new LinkedHashMap<>();
    response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
    List<String> all = contract.violations(new OpenApiContract.Exchange(method, path, query, DEV,
        requestBody == null ? null : requestBody.getBytes(StandardCharsets.UTF_8),
        response.statusCode(), headers, response.body().getBytes(StandardCharsets.UTF_8)));
    return all.stream().filter(v -> v.startsWith("response body"))
        .map(v -> method + " " + path + ": " + v).toList();
  }

  /** A 201 of createDocument as the contract documents it. */
  private static String created(int contentLength) {
    return "{\"document\":{\"documentId\":\"3f2a9c4e-8b1d-4e6f-9a7c-2d5b8e1f0a36\","
        + "\"title\":\"Hello\",\"state\":\"LIVE\",\"activeVersion\":1,\"latestVersion\":1,"
        + "\"createdAt\":\"2026-01-02T03:04:05.123456Z\","
        + "\"updatedAt\":\"2026-01-02T03:04:05.123456Z\",\"createdBy\":\"alice\","
        + "\"etag\":\"\\\"5d41402abc4b2a76b9719d91\\\"\"},"
        + "\"version\":{\"documentId\":\"3f2a9c4e-8b1d-4e6f-9a7c-2d5b8e1f0a36\",\"version\":1,"
        + "\"state\":\"LIVE\",\"contentSha256\":"
        + "\"4f78a19ad26a6b96bcb9e3188f8fa8696c1fc4caa6474ace83cc5067aafda958\","
        + "\"contentLength\":" + contentLength + ",\"contentType\":\"text/plain; charset=utf-8\","
        + "\"createdAt\":\"2026-01-02T03:04:05.123456Z\",\"createdBy\":\"alice\"}}";
  }

  /** One Prism server on a free port, stopped on close. */
  private record Prism(Process process, int port, Path log) implements AutoCloseable {
    static Prism start(String mode, String... args) throws Exception {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path log = tools.home().resolve("prism-" + mode + "-" + port + ".log");
      List<String> command = new ArrayList<>(List.of(tools.bin("prism").toString(), mode,
          spec.toString()));
      command.addAll(List.of(args));
      command.addAll(List.of("--port", Integer.toString(port), "--host", "127.0.0.1"));
      Prism prism = new Prism(tools.start(command, root, log.toFile()), port, log);
      long deadline = System.nanoTime() + PRISM_START.toNanos();
      while (!Files.readString(log).contains("Prism is listening")) {
        if (!prism.process.isAlive() || System.nanoTime() > deadline) {
          prism.close();
          throw new IllegalStateException("Prism did not start:\n"
              + NpmTool.tail(Files.readString(log)));
        }
        Thread.sleep(200);
      }
      return prism;
    }

    HttpResponse<String> post(HttpClient http, String path, String body) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
          .POST(HttpRequest.BodyPublishers.ofString(body));
      DEV.forEach(request::header);
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(HttpClient http, String path, String query) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(
          URI.create(base() + path + (query.isEmpty() ? "" : "?" + query))).GET();
      request.header("X-Tenant-Id", "acme");
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
      return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }
  }

  // ---- openapi-typescript ----

  /**
   * Generated without flags, every request field the contract does not require is optional in
   * TypeScript (openapi-typescript 7 makes a field with a {@code default} required), and the
   * content fields are a union, not {@code unknown}.
   */
  @Test
  void openapiTypescriptMakesEveryOptionalRequestFieldOptional(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("openapi.d.ts");
    NpmTool.Result result = tools.run(
        List.of(tools.bin("openapi-typescript").toString(), spec.toString(), "--output",
            out.toString()),
        root, RUN_TIMEOUT, Map.of());
    assertEquals(0, result.exit(), result.output());
    String ts = Files.readString(out, StandardCharsets.UTF_8);
    JsonNode schemas = new YAMLMapper().readTree(spec.toFile()).path("components").path("schemas");
    List<String> problems = new ArrayList<>();
    schemas.fieldNames().forEachRemaining(name -> {
      if (!name.endsWith("Request")) {
        return;
      }
      JsonNode schema = schemas.get(name);
      Matcher block = Pattern.compile("\n {8}" + name + ": \\{\n(.*?)\n {8}\\}", Pattern.DOTALL)
          .matcher(ts);
      if (!block.find()) {
        problems.add(name + " is not in the generated types");
        return;
      }
      List<String> required = new ArrayList<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      schema.path("properties").fieldNames().forEachRemaining(property -> {
        String expected = "\n" + " ".repeat(12) + property
            + (required.contains(property) ? ": " : "?: ");
        if (!("\n" + block.group(1)).contains(expected)) {
          problems.add(name + "." + property + " should be " + (required.contains(property)
              ? "required" : "optional"));
        }
      });
    });
    assertEquals(List.of(), problems);
    assertFalse(ts.contains("ContentFields: unknown"), "the content fields have no type");
  }
}

package dev.docstore.it;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.docstore.local.ProjectFiles;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks one HTTP exchange, request and response, against {@code docs/openapi.yaml}.
 *
 * <p><b>Libraries, and why.</b> The contract is OpenAPI 3.1, whose Schema Object is JSON Schema
 * draft 2020-12 (plus the OAS vocabulary). Atlassian's swagger-request-validator (now
 * "openapi-request-validator") lists OpenAPI 3.1 as <i>partial</i> support and validates
 * schemas as draft-07, so 2020-12 keywords such as {@code const}, {@code if/then/else},
 * {@code $ref} with siblings or type arrays would be checked loosely or not at all; that is the
 * drift this checker exists to catch. Instead:
 * <ul>
 *   <li>{@code com.networknt:json-schema-validator} (2.0.x, the Jackson 2 line of an actively
 *       released library; 3.x is the same code on Jackson 3) validates every body, parameter
 *       and header with its built-in OpenAPI 3.1 dialect, with {@code format} asserted, so
 *       {@code date-time}, {@code uuid} and {@code date} are checked too. Schemas are taken
 *       from the document by JSON pointer, so {@code $ref}s resolve inside the one document
 *       exactly as written.</li>
 *   <li>{@code io.swagger.parser.v3:swagger-parser-v3} (2.1.x, which parses 3.1) checks that the
 *       document itself is well-formed OpenAPI 3.1 with resolvable internal references; any
 *       message it reports refuses to load the contract.</li>
 * </ul>
 * The operation lookup (path, method, parameters, request body, responses, headers) is a small
 * walk over the document tree here, following the {@code $ref}s of reference objects.
 *
 * <p><b>Rules.</b> The request is checked only when the response is 2xx, since tests send
 * malformed requests on purpose and the server must refuse those; the response is always
 * checked. The request side checks the security requirement, declared parameters, that no
 * undeclared query parameter is sent (the functions refuse them), and the body. The response
 * side checks that the status is documented, the required headers, every documented header
 * present, the media type, and JSON bodies against their schema (every response object is
 * {@code additionalProperties: false}, so an undocumented field fails). A method a path does
 * not define must be answered as that path's documented 405; a path the contract does not list
 * must be answered, whatever the method, as {@code components/responses/UnknownPath} (404). The
 * answer to a {@code HEAD} is checked without a body.
 */
public final class OpenApiContract {
  /** One request and its response, as the test client saw them. */
  public record Exchange(String method, String path, String query,
      Map<String, String> requestHeaders, byte[] requestBody, int status,
      Map<String, String> responseHeaders, byte[] responseBody) {
    public Exchange {
      requestHeaders = caseInsensitive(requestHeaders);
      responseHeaders = caseInsensitive(responseHeaders);
      query = query == null ? "" : query;
    }

    private static Map<String, String> caseInsensitive(Map<String, String> headers) {
      Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      if (headers != null) {
        copy.putAll(headers);
      }
      return copy;
    }
  }

  private static final String BASE_IRI = "https://docstore.dev/openapi.json";
  private static final List<String> DOCUMENT_FIELDS = List.of("openapi", "jsonSchemaDialect",
      "info", "servers", "security", "tags", "paths", "components", "webhooks", "externalDocs");
  private static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final ObjectMapper STRICT_JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  /** The response object that documents the answer to any path the contract does not list. */
  static final String UNKNOWN_PATH = "UnknownPath";
  private static volatile OpenApiContract shared;

  private final JsonNode doc;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final SchemaRegistry registry;

  private OpenApiContract(String yaml) {
    SwaggerParseResult parsed = parse(yaml);
    if (!parsed.getMessages().isEmpty()) {
      throw new IllegalStateException("docs/openapi.yaml is not valid OpenAPI 3.1: "
          + parsed.getMessages());
    }
    if (parsed.getOpenAPI() == null || parsed.getOpenAPI().getSpecVersion() != SpecVersion.V31) {
      throw new IllegalStateException("docs/openapi.yaml must be OpenAPI 3.1");
    }
    try {
      this.doc = new YAMLMapper().readTree(yaml);
      String json = new ObjectMapper().writeValueAsString(doc);
      // The whole document is the schema resource, so that $refs resolve inside it; its
      // top-level OpenAPI fields are not schema keywords and are declared as such.
      Dialect dialect = Dialect.builder(Dialects.getOpenApi31())
          .keywords(DOCUMENT_FIELDS.stream().map(NonValidationKeyword::new).toList())
          .build();
      this.registry = SchemaRegistry.withDialect(dialect, builder -> builder
          .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
              .build())
          .schemas(Map.of(BASE_IRI, json)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    compileEverySchema();
  }

  /** The contract of this repository, loaded once. */
  public static OpenApiContract get() {
    OpenApiContract contract = shared;
    if (contract == null) {
      synchronized (OpenApiContract.class) {
        if (shared == null) {
          shared = load(ProjectFiles.root().resolve("docs/openapi.yaml"));
        }
        contract = shared;
      }
    }
    return contract;
  }

  public static OpenApiContract load(Path file) {
    try {
      return new OpenApiContract(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static OpenApiContract fromYaml(String yaml) {
    return new OpenApiContract(yaml);
  }

  private static SwaggerParseResult parse(String yaml) {
    ParseOptions options = new ParseOptions();
    options.setResolve(false);
    options.setValidateInternalRefs(true);
    options.setValidateExternalRefs(false);
    return new OpenAPIV3Parser().readContents(yaml, null, options);
  }

  /** Throws an AssertionError that lists every violation of the exchange, if any. */
  public void check(Exchange exchange) {
    List<String> violations = violations(exchange);
    if (!violations.isEmpty()) {
      throw new AssertionError(describe(exchange, violations));
    }
  }

  /** Every violation: of the request when the response is 2xx, and of the response. */
  public List<String> violations(Exchange exchange) {
    List<String> out = new ArrayList<>();
    Located pathItem = at("/paths/" + escape(exchange.path()));
    if (pathItem.node().isMissingNode()) {
      // Any other path, with any method, is the one documented answer to an unknown path.
      Located unknown = at("/components/responses/" + UNKNOWN_PATH);
      if (unknown.node().isMissingNode() || exchange.status() != 404) {
        out.add("path " + exchange.path() + " is not in the contract, and its answer "
            + exchange.status() + " is not the 404 of components/responses/" + UNKNOWN_PATH);
        return out;
      }
      checkResponseObject(exchange, unknown, out);
      return out;
    }
    String method = exchange.method().toLowerCase(Locale.ROOT);
    Located operation = pathItem.child(method);
    boolean success = exchange.status() >= 200 && exchange.status() < 300;
    if (operation.node().isMissingNode() || !METHODS.contains(method)) {
      if (success) {
        out.add("method " + exchange.method() + " of " + exchange.path()
            + " is not in the contract, yet it was answered " + exchange.status());
        return out;
      }
      Located documented = null;
      for (String m : METHODS) {
        Located op = pathItem.child(m);
        if (!op.node().isMissingNode() && op.node().path("responses").has("405")) {
          documented = op;
          break;
        }
      }
      if (documented == null || exchange.status() != 405) {
        out.add(exchange.method() + " is not an operation of " + exchange.path()
            + " and its answer " + exchange.status() + " is not the path's documented 405");
        return out;
      }
      operation = documented;
    } else if (success) {
      checkRequest(exchange, pathItem, operation, out);
    }
    checkResponse(exchange, operation, out);
    return out;
  }

  // ---- request ----

  private void checkRequest(Exchange exchange, Located pathItem, Located operation,
      List<String> out) {
    checkSecurity(exchange, operation, out);
    Map<String, Located> parameters = new LinkedHashMap<>();
    for (Located parent : List.of(pathItem, operation)) {
      JsonNode list = parent.node().path("parameters");
      for (int i = 0; i < list.size(); i++) {
        Located p = resolve(parent.child("parameters").child(i));
        parameters.put(p.node().path("in").asText() + ":"
            + p.node().path("name").asText().toLowerCase(Locale.ROOT), p);
      }
    }
    Map<String, List<String>> query = parseQuery(exchange.query(), out);
    List<String> declaredQuery = new ArrayList<>();
    parameters.values().stream().filter(p -> p.node().path("in").asText().equals("query"))
        .forEach(p -> declaredQuery.add(p.node().path("name").asText()));
    for (String name : query.keySet()) {
      if (!declaredQuery.contains(name)) {
        out.add("request: query parameter '" + name + "' is not in the contract");
      }
    }
    for (Located p : parameters.values()) {
      String in = p.node().path("in").asText();
      String name = p.node().path("name").asText();
      String value;
      if (in.equals("query")) {
        List<String> values = query.get(name);
        if (values != null && values.size() > 1) {
          out.add("request: query parameter '" + name + "' is sent more than once");
        }
        value = values == null ? null : values.get(0);
      } else if (in.equals("header")) {
        value = exchange.requestHeaders().get(name);
      } else {
        out.add("request: parameters in '" + in + "' are not supported by this checker");
        continue;
      }
      if (value == null) {
        if (p.node().path("required").asBoolean(false)) {
          out.add("request: required " + in + " parameter '" + name + "' is missing");
        }
        continue;
      }
      validate(p.child("schema"), coerce(p.child("schema"), value),
          "request " + in + " parameter '" + name + "'", out);
    }
    checkRequestBody(exchange, operation, out);
  }

  private void checkSecurity(Exchange exchange, Located operation, List<String> out) {
    JsonNode requirements = operation.node().has("security")
        ? operation.node().get("security") : doc.path("security");
    if (requirements.isMissingNode() || requirements.isEmpty()) {
      return;
    }
    for (JsonNode requirement : requirements) {
      boolean all = true;
      for (Iterator<String> it = requirement.fieldNames(); it.hasNext(); ) {
        all &= satisfied(exchange, doc.path("components").path("securitySchemes")
            .path(it.next()));
      }
      if (all) {
        return;
      }
    }
    out.add("request: no security requirement of the contract is met by its headers");
  }

  private static boolean satisfied(Exchange exchange, JsonNode scheme) {
    String type = scheme.path("type").asText();
    if (type.equals("http") && scheme.path("scheme").asText().equalsIgnoreCase("bearer")) {
      String auth = exchange.requestHeaders().get("Authorization");
      return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7);
    }
    if (type.equals("apiKey") && scheme.path("in").asText().equals("header")) {
      return exchange.requestHeaders().containsKey(scheme.path("name").asText());
    }
    return false;
  }

  private void checkRequestBody(Exchange exchange, Located operation, List<String> out) {
    boolean hasBody = exchange.requestBody() != null && exchange.requestBody().length > 0;
    Located body = operation.child("requestBody");
    if (body.node().isMissingNode()) {
      if (hasBody) {
        out.add("request: a body was sent, but the contract defines none");
      }
      return;
    }
    body = resolve(body);
    if (!hasBody) {
      if (body.node().path("required").asBoolean(false)) {
        out.add("request: the required body is missing");
      }
      return;
    }
    checkContent(body.child("content"), exchange.requestHeaders().get("Content-Type"),
        exchange.requestBody(), "request body", out);
  }

  // ---- response ----

  private void checkResponse(Exchange exchange, Located operation, List<String> out) {
    Located responses = operation.child("responses");
    String status = Integer.toString(exchange.status());
    Located response = responses.child(status);
    if (response.node().isMissingNode()) {
      response = responses.child(status.charAt(0) + "XX");
    }
    if (response.node().isMissingNode()) {
      response = responses.child("default");
    }
    if (response.node().isMissingNode()) {
      out.add("response: status " + status + " is not documented for "
          + operation.node().path("operationId").asText());
      return;
    }
    checkResponseObject(exchange, response, out);
  }

  /** The answer against one response object: its headers, media type and body. */
  private void checkResponseObject(Exchange exchange, Located response, List<String> out) {
    String status = Integer.toString(exchange.status());
    response = resolve(response);
    JsonNode headers = response.node().path("headers");
    for (Iterator<String> it = headers.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (name.equalsIgnoreCase("Content-Type")) {
        continue;
      }
      Located header = resolve(response.child("headers").child(name));
      String value = exchange.responseHeaders().get(name);
      if (value == null) {
        if (header.node().path("required").asBoolean(false)) {
          out.add("response: required header " + name + " is missing");
        }
        continue;
      }
      validate(header.child("schema"), coerce(header.child("schema"), value),
          "response header " + name, out);
    }
    if (exchange.method().equalsIgnoreCase("HEAD")) {
      return; // the headers of a GET, without its body
    }
    Located content = response.child("content");
    boolean hasBody = exchange.responseBody() != null && exchange.responseBody().length > 0;
    if (content.node().isMissingNode() || content.node().isEmpty()) {
      if (hasBody) {
        out.add("response: a body was sent, but the contract defines none for " + status);
      }
      return;
    }
    checkContent(content, exchange.responseHeaders().get("Content-Type"),
        exchange.responseBody(), "response body", out);
  }

  // ---- shared ----

  private void checkContent(Located content, String contentType, byte[] body, String what,
      List<String> out) {
    if (contentType == null) {
      out.add(what + ": no Content-Type");
      return;
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    String key = null;
    for (String candidate : List.of(base, base.split("/", 2)[0] + "/*", "*/*")) {
      if (content.node().has(candidate)) {
        key = candidate;
        break;
      }
    }
    if (key == null) {
      List<String> documented = new ArrayList<>();
      content.node().fieldNames().forEachRemaining(documented::add);
      out.add(what + ": media type " + base + " is not documented " + documented);
      return;
    }
    if (!isJson(key)) {
      return;
    }
    JsonNode value;
    try {
      value = STRICT_JSON.readTree(body);
    } catch (IOException e) {
      out.add(what + ": not valid JSON");
      return;
    }
    validate(content.child(key).child("schema"), value, what, out);
  }

  private static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  private void validate(Located schema, JsonNode value, String what, List<String> out) {
    if (schema.node().isMissingNode()) {
      return;
    }
    for (Error error : schemaAt(schema.pointer()).validate(value)) {
      out.add(what + ": " + error);
    }
  }

  private Schema schemaAt(String pointer) {
    return schemas.computeIfAbsent(pointer,
        p -> registry.getSchema(SchemaLocation.of(BASE_IRI + "#" + p)));
  }

  /** Parameters and headers are text on the wire; read them as their schema's type. */
  private JsonNode coerce(Located schema, String value) {
    JsonNode node = schema.node();
    for (int hops = 0; hops < 10 && node.has("$ref"); hops++) {
      node = doc.at(node.get("$ref").asText().substring(1));
    }
    String type = node.path("type").asText("");
    try {
      switch (type) {
        case "integer":
          return JsonNodeFactory.instance.numberNode(new BigInteger(value));
        case "number":
          return DecimalNode.valueOf(new BigDecimal(value));
        case "boolean":
          if (value.equals("true") || value.equals("false")) {
            return BooleanNode.valueOf(Boolean.parseBoolean(value));
          }
          return TextNode.valueOf(value);
        default:
          return TextNode.valueOf(value);
      }
    } catch (NumberFormatException e) {
      return TextNode.valueOf(value);
    }
  }

  private static Map<String, List<String>> parseQuery(String query, List<String> out) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
            StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
            StandardCharsets.UTF_8);
        params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        out.add("request: query '" + pair + "' is not URL-encoded");
      }
    }
    return params;
  }

  /** Compiles every schema an exchange can reach, so a broken schema fails at load. */
  private void compileEverySchema() {
    for (Iterator<String> paths = doc.path("paths").fieldNames(); paths.hasNext(); ) {
      Located pathItem = at("/paths/" + escape(paths.next()));
      for (String method : METHODS) {
        Located op = pathItem.child(method);
        if (op.node().isMissingNode()) {
          continue;
        }
        for (int i = 0; i < op.node().path("parameters").size(); i++) {
          compile(resolve(op.child("parameters").child(i)).child("schema"));
        }
        if (op.node().has("requestBody")) {
          compileContent(resolve(op.child("requestBody")).child("content"));
        }
        for (Iterator<String> codes = op.node().path("responses").fieldNames();
            codes.hasNext(); ) {
          Located response = resolve(op.child("responses").child(codes.next()));
          for (Iterator<String> h = response.node().path("headers").fieldNames();
              h.hasNext(); ) {
            compile(resolve(response.child("headers").child(h.next())).child("schema"));
          }
          compileContent(response.child("content"));
        }
      }
    }
  }

  private void compileContent(Located content) {
    for (Iterator<String> types = content.node().fieldNames(); types.hasNext(); ) {
      compile(content.child(types.next()).child("schema"));
    }
  }

  private void compile(Located schema) {
    if (!schema.node().isMissingNode()) {
      // Validating once resolves every $ref of the schema, so a dangling one fails here.
      schemaAt(schema.pointer()).validate(JsonNodeFactory.instance.nullNode());
    }
  }

  // ---- the document ----

  /** A node of the document with its JSON pointer. */
  private record Located(JsonNode node, String pointer) {
    Located child(String name) {
      return new Located(node.path(name), pointer + "/" + escape(name));
    }

    Located child(int index) {
      return new Located(node.path(index), pointer + "/" + index);
    }
  }

  private Located at(String pointer) {
    return new Located(doc.at(pointer), pointer);
  }

  /** Follows the $ref of a reference object (parameter, request body, response, header). */
  private Located resolve(Located located) {
    Located current = located;
    for (int hops = 0; hops < 10 && current.node().has("$ref"); hops++) {
      String ref = current.node().get("$ref").asText();
      if (!ref.startsWith("#")) {
        throw new IllegalStateException("only local references are supported: " + ref);
      }
      current = at(ref.substring(1));
      if (current.node().isMissingNode()) {
        throw new IllegalStateException("dangling reference " + ref);
      }
    }
    return current;
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  // ---- messages ----

  private static String describe(Exchange e, List<String> violations) {
    StringBuilder b = new StringBuilder("OpenAPI contract violation (docs/openapi.yaml): ")
        .append(e.method()).append(' ').append(e.path())
        .append(e.query().isEmpty() ? "" : "?" + e.query())
        .append(" -> ").append(e.status()).append('\n');
    violations.forEach(v -> b.append("  - ").append(v).append('\n'));
    b.append("  request headers: ").append(e.requestHeaders()).append('\n');
    b.append("  request body: ").append(excerpt(e.requestBody())).append('\n');
    b.append("  response headers: ").append(e.responseHeaders()).append('\n');
    b.append("  response body: ").append(excerpt(e.responseBody()));
    return b.toString();
  }

  private static String excerpt(byte[] body) {
    if (body == null || body.length == 0) {
      return "(none)";
    }
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > 600 ? text.substring(0, 600) + "… (" + body.length + " bytes)" : text;
  }
}

package dev.docstore.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP client for the functions as the local stack serves them. Every exchange that
 * {@link Request#send()} makes is recorded and checked against {@code docs/openapi.yaml}
 * ({@link OpenApiContract}): a violation fails the test at once. {@link #rawStatus} is exempt.
 */
public final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final OpenApiContract contract = OpenApiContract.get();
  private final List<OpenApiContract.Exchange> exchanges = new CopyOnWriteArrayList<>();

  Api(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** Every exchange sent so far through {@link Request#send()}, each already checked. */
  public List<OpenApiContract.Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /** A response, with its body kept as bytes for byte-exact comparisons. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text(), e);
      }
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase());
    }

    public String code() {
      return json().path("code").asText();
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  /**
   * Sends raw bytes over a socket, for what java.net.http refuses to send (control characters
   * and non-ASCII bytes in headers). Returns the status code.
   */
  public int rawStatus(byte[] request) {
    URI uri = URI.create(baseUrl);
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
          socket.getInputStream(), StandardCharsets.ISO_8859_1));
      String statusLine = reader.readLine();
      return Integer.parseInt(statusLine.split(" ")[1]);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Request post(String function) {
    return new Request("POST", function);
  }

  public Request options(String function) {
    return new Request("OPTIONS", function);
  }

  public Request get(String function) {
    return new Request("GET", function);
  }

  /** Builds one request. Tenant "t-default" unless another (or none) is chosen. */
  public final class Request {
    private final String method;
    private final String function;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String query = "";
    private byte[] body;

    Request(String method, String function) {
      this.method = method;
      this.function = function;
      headers.put("X-Tenant-Id", "t-default");
      headers.put("X-User-Id", "u-default");
    }

    public Request tenant(String tenant) {
      if (tenant == null) {
        headers.remove("X-Tenant-Id");
        headers.remove("X-User-Id");
      } else {
        headers.put("X-Tenant-Id", tenant);
      }
      return this;
    }

    public Request key(String key) {
      headers.put("Idempotency-Key", key);
      return this;
    }

    public Request header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Request query(String query) {
      this.query = query;
      return this;
    }

    public Request json(String json) {
      headers.putIfAbsent("Content-Type", "application/json");
      this.body = json.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    public Request json(Object value) {
      try {
        return json(JSON.writeValueAsString(value));
      } catch (IOException e) {
        throw new IllegalArgumentException(e);
      }
    }

    public Request body(String contentType, byte[] bytes) {
      headers.put("Content-Type", contentType);
      this.body = bytes;
      return this;
    }

    public Response send() {
      HttpRequest.Builder builder = HttpRequest.newBuilder(
              URI.create(baseUrl + "/" + function + (query.isEmpty() ? "" : "?" + query)))
          .timeout(Duration.ofSeconds(60))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(builder::header);
      try {
        HttpResponse<byte[]> response =
            http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> h = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), String.join(",", v)));
        OpenApiContract.Exchange exchange = new OpenApiContract.Exchange(method, "/" + function,
            query, headers, body, response.statusCode(), h, response.body());
        exchanges.add(exchange);
        contract.check(exchange);
        return new Response(response.statusCode(), h, response.body());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}

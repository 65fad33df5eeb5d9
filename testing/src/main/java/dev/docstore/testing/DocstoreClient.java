package dev.docstore.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP client for the docstore functions, each served at {@code <baseUrl>/<functionName>},
 * with the dev-mode identity headers ({@code X-Tenant-Id}, {@code X-User-Id}). Every exchange
 * that {@link Request#send()} completes goes to the listeners added with {@link #onExchange},
 * before send returns: a listener that throws makes send throw.
 */
public class DocstoreClient {
  /** The JSON mapper of the bodies, for the callers to share. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String tenant;
  private final String user;
  private final List<ExchangeListener> listeners = new CopyOnWriteArrayList<>();

  /** A client whose requests start as {@code tenant} and {@code user} (null: no such header). */
  public DocstoreClient(String baseUrl, String tenant, String user) {
    this.baseUrl = baseUrl;
    this.tenant = tenant;
    this.user = user;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** Hands every exchange sent from now on to {@code listener}. */
  public DocstoreClient onExchange(ExchangeListener listener) {
    listeners.add(listener);
    return this;
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

  /**
   * Any method on any path below the base URL: {@code path} is what follows the {@code /}, a
   * function's name or a path no function serves ({@code ""}, {@code "nope"}, {@code "a/b"}).
   */
  public Request request(String method, String path) {
    return new Request(method, path);
  }

  /** {@code value} as JSON text. */
  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Sees each exchange of a client. */
  @FunctionalInterface
  public interface ExchangeListener {
    void exchanged(Exchange exchange);
  }

  /** One request as sent ({@code path} is {@code /<functionName>}) and its response. */
  public record Exchange(String method, String path, String query,
      Map<String, String> requestHeaders, byte[] requestBody, Response response) {}

  /** A response, with its body kept as bytes for byte-exact comparisons. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

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

    /** The header's values joined by commas, whatever the case of {@code name}; else null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The {@code code} of a problem+json body. */
    public String code() {
      return json().path("code").asText();
    }

    /** Whether the answer is a replay of a keyed write ({@code Idempotent-Replayed: true}). */
    public boolean replayed() {
      return "true".equals(header("Idempotent-Replayed"));
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  /** Builds one request, as the client's tenant and user unless told otherwise. */
  public final class Request {
    private final String method;
    private final String function;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String query = "";
    private byte[] body;

    private Request(String method, String function) {
      this.method = method;
      this.function = function;
      if (tenant != null) {
        headers.put("X-Tenant-Id", tenant);
      }
      if (user != null) {
        headers.put("X-User-Id", user);
      }
    }

    /** Sets the tenant; null sends no dev identity at all (no X-User-Id either). */
    public Request tenant(String tenant) {
      if (tenant == null) {
        headers.remove("X-Tenant-Id");
        headers.remove("X-User-Id");
      } else {
        headers.put("X-Tenant-Id", tenant);
      }
      return this;
    }

    /** Sets the Idempotency-Key; null sends none. */
    public Request key(String key) {
      if (key == null) {
        headers.remove("Idempotency-Key");
      } else {
        headers.put("Idempotency-Key", key);
      }
      return this;
    }

    public Request header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** The query string, without its {@code ?}. */
    public Request query(String query) {
      this.query = query;
      return this;
    }

    /** A JSON body, as {@code application/json} unless another Content-Type is set. */
    public Request json(String json) {
      headers.putIfAbsent("Content-Type", "application/json");
      this.body = json.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    public Request json(Object value) {
      return json(DocstoreClient.json(value));
    }

    public Request body(String contentType, byte[] bytes) {
      headers.put("Content-Type", contentType);
      this.body = bytes;
      return this;
    }

    /** Sends the request; an I/O failure is an {@link UncheckedIOException}. */
    public Response send() {
      String path = "/" + function;
      HttpRequest.Builder builder = HttpRequest.newBuilder(
              URI.create(baseUrl + path + (query.isEmpty() ? "" : "?" + query)))
          .timeout(Duration.ofSeconds(60))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(builder::header);
      HttpResponse<byte[]> response;
      try {
        response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Map<String, String> h = new LinkedHashMap<>();
      response.headers().map().forEach((k, v) ->
          h.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      Response result = new Response(response.statusCode(), h, response.body());
      Exchange exchange = new Exchange(method, path, query,
          Collections.unmodifiableMap(new LinkedHashMap<>(headers)), body, result);
      listeners.forEach(listener -> listener.exchanged(exchange));
      return result;
    }
  }
}

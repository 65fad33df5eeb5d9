package dev.docstore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A minimal HTTP client for the functions the local stack serves (dev auth headers). */
final class BenchClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final AtomicLong requests = new AtomicLong();

  BenchClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A response: status, body, and whether {@code Idempotent-Replayed: true} was set. */
  record Reply(int status, String body, boolean replayed) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }
  }

  /** POSTs {@code body} as JSON to {@code function}, with {@code key} unless it is null. */
  Reply post(String function, String tenant, String key, Map<String, Object> body) {
    HttpRequest.Builder request = request(function, "", tenant)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json(body)));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return send(request.build());
  }

  Reply get(String function, String tenant, String query) {
    return send(request(function, "?" + query, tenant).GET().build());
  }

  long requests() {
    return requests.get();
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private HttpRequest.Builder request(String function, String query, String tenant) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/" + function + query))
        .timeout(Duration.ofSeconds(60))
        .header("X-Tenant-Id", tenant)
        .header("X-User-Id", "bench");
  }

  private Reply send(HttpRequest request) {
    requests.incrementAndGet();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), "true".equals(
          response.headers().firstValue("Idempotent-Replayed").orElse(null)));
    } catch (IOException e) {
      return new Reply(-1, e.toString(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.docstore.bench;

import dev.docstore.api.Operation;
import dev.docstore.testing.DocstoreClient;
import dev.docstore.testing.DocstoreClient.Request;
import dev.docstore.testing.DocstoreClient.Response;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's client of the functions the local stack serves: user "bench", the tenant
 * given per request; it counts the requests, and answers a request that fails to get through
 * with status -1 (its body the error), which the run records as an error rather than dying.
 */
final class BenchClient {
  private final DocstoreClient client;
  private final AtomicLong requests = new AtomicLong();

  BenchClient(String baseUrl) {
    client = new DocstoreClient(baseUrl, null, "bench");
  }

  /** POSTs {@code body} as JSON to the write, with {@code key} unless it is null. */
  Response post(Operation write, String tenant, String key, Map<String, Object> body) {
    return post(write, tenant, key, null, body);
  }

  /** As {@link #post(Operation, String, String, Map)}, with If-Match unless it is null. */
  Response post(Operation write, String tenant, String key, String ifMatch,
      Map<String, Object> body) {
    Request request = client.post(write.functionName()).tenant(tenant).key(key);
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    return send(request.json(body));
  }

  Response get(Operation read, String tenant, String query) {
    return send(client.get(read.functionName()).tenant(tenant).query(query));
  }

  long requests() {
    return requests.get();
  }

  private Response send(Request request) {
    requests.incrementAndGet();
    try {
      return request.send();
    } catch (UncheckedIOException e) {
      return new Response(-1, Map.of(),
          e.getCause().toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}

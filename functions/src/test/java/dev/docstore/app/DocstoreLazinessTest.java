package dev.docstore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.functions.HttpResponse;
import dev.docstore.api.Operation;
import dev.docstore.auth.FakeRequest;
import dev.docstore.config.Config;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The composition root builds a client only for a request that needs it: a preflight, a wrong
 * method or missing credentials answer without building Spanner, Storage or the Publisher. No
 * emulator is contacted; the configuration only names one, as a local stack's would.
 */
class DocstoreLazinessTest {
  private static final Map<String, String> ENV = Map.of(
      "SPANNER_EMULATOR_HOST", "127.0.0.1:1", "PUBSUB_EMULATOR_HOST", "127.0.0.1:1",
      "AUTH_MODE", "dev", "ALLOWED_ORIGINS", "https://app.example");

  @Test
  void preflightsWrongMethodsAndMissingCredentialsBuildNoClient() throws Exception {
    long spanner = ClientCounters.SPANNER.get();
    long storage = ClientCounters.STORAGE.get();
    long publisher = ClientCounters.PUBLISHER.get();
    try (Docstore docstore = Docstore.builder(Config.fromEnv(ENV)).build()) {
      for (Operation op : Operation.values()) {
        if (op.trigger() == Operation.Trigger.CLOUD_EVENT) {
          continue;
        }
        String wrong = op.method().equals("GET") ? "POST" : "GET";
        String name = op.functionName();
        assertEquals(405, serve(docstore, op, FakeRequest.with().method(wrong)), name);
        if (op.trigger() == Operation.Trigger.HTTP_PUBLIC) {
          assertEquals(204, serve(docstore, op, FakeRequest.with(
              "Origin", "https://app.example", "Access-Control-Request-Method", op.method())
              .method("OPTIONS")), name);
          assertEquals(401, serve(docstore, op, FakeRequest.with().method(op.method())), name);
        }
      }
    }
    assertEquals(spanner, ClientCounters.SPANNER.get(), "no Spanner client");
    assertEquals(storage, ClientCounters.STORAGE.get(), "no Storage client");
    assertEquals(publisher, ClientCounters.PUBLISHER.get(), "no Publisher");
  }

  private static int serve(Docstore docstore, Operation op, FakeRequest request)
      throws Exception {
    Response response = new Response();
    docstore.serve(op, request, response);
    return response.status;
  }

  private static final class Response implements HttpResponse {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, List<String>> headers = new TreeMap<>();
    private int status = 200;
    private String contentType;

    @Override public void setStatusCode(int code) { status = code; }
    @Override public void setStatusCode(int code, String message) { status = code; }
    @Override public void setContentType(String type) { contentType = type; }
    @Override public Optional<String> getContentType() { return Optional.ofNullable(contentType); }
    @Override public void appendHeader(String name, String value) {
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    @Override public Map<String, List<String>> getHeaders() { return headers; }
    @Override public OutputStream getOutputStream() { return body; }
    @Override public BufferedWriter getWriter() {
      return new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
    }
  }
}

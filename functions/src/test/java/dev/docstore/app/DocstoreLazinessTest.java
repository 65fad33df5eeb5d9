package dev.docstore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.api.Operation;
import dev.docstore.config.Config;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
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
        assertEquals(405, serve(docstore, op, new Request(wrong)), op.functionName());
        if (op.trigger() == Operation.Trigger.HTTP_PUBLIC) {
          assertEquals(204, serve(docstore, op, new Request("OPTIONS")
              .header("Origin", "https://app.example")
              .header("Access-Control-Request-Method", op.method())), op.functionName());
          assertEquals(401, serve(docstore, op, new Request(op.method())), op.functionName());
        }
      }
    }
    assertEquals(spanner, ClientCounters.SPANNER.get(), "no Spanner client");
    assertEquals(storage, ClientCounters.STORAGE.get(), "no Storage client");
    assertEquals(publisher, ClientCounters.PUBLISHER.get(), "no Publisher");
  }

  private static int serve(Docstore docstore, Operation op, Request request) throws Exception {
    Response response = new Response();
    docstore.serve(op, request, response);
    return response.status;
  }

  private static final class Request implements HttpRequest {
    private final String method;
    private final Map<String, List<String>> headers =
        new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    Request(String method) {
      this.method = method;
    }

    Request header(String name, String value) {
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      return this;
    }

    @Override public String getMethod() { return method; }
    @Override public String getUri() { return "http://localhost/f"; }
    @Override public String getPath() { return "/f"; }
    @Override public Optional<String> getQuery() { return Optional.empty(); }
    @Override public Map<String, List<String>> getQueryParameters() { return Map.of(); }
    @Override public Map<String, HttpPart> getParts() { return Map.of(); }
    @Override public Optional<String> getContentType() { return Optional.empty(); }
    @Override public long getContentLength() { return 0; }
    @Override public Optional<String> getCharacterEncoding() { return Optional.empty(); }
    @Override public InputStream getInputStream() { return InputStream.nullInputStream(); }
    @Override public BufferedReader getReader() { return new BufferedReader(new StringReader("")); }
    @Override public Map<String, List<String>> getHeaders() { return headers; }
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

package dev.docstore.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.HttpRequest;
import com.google.common.net.MediaType;
import dev.docstore.api.Caller;
import dev.docstore.api.InvalidRequest;
import dev.docstore.api.PayloadTooLarge;
import dev.docstore.api.UnsupportedMediaType;
import dev.docstore.idempotency.IdempotencyKey;
import dev.docstore.input.IfMatch;
import dev.docstore.input.JsonBody;
import dev.docstore.input.QueryString;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One authenticated request, with strict accessors for its body, query and headers. */
public final class Call {
  private final HttpRequest request;
  private final Caller caller;
  private final String requestId;
  private final ObjectMapper json;
  private final long maxBodyBytes;
  private List<String> allowedQuery = List.of();
  private Map<String, List<String>> query;

  Call(HttpRequest request, Caller caller, String requestId, ObjectMapper json,
      long maxBodyBytes) {
    this.request = request;
    this.caller = caller;
    this.requestId = requestId;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  public Caller caller() {
    return caller;
  }

  public String requestId() {
    return requestId;
  }

  public Optional<String> idempotencyKey() {
    return IdempotencyKey.parse(request.getHeaders().get(IdempotencyKey.HEADER));
  }

  public Optional<IfMatch> ifMatch() {
    return IfMatch.parse(request.getHeaders().get(IfMatch.HEADER));
  }

  /** The JSON body: 415 unless the Content-Type is JSON, 413 past the size bound, else 400. */
  public JsonBody jsonBody() {
    String contentType = request.getContentType().orElse("");
    MediaType type;
    try {
      type = MediaType.parse(contentType);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedMediaType("send application/json");
    }
    if (!type.withoutParameters().equals(MediaType.create("application", "json"))) {
      throw new UnsupportedMediaType("send application/json");
    }
    if (request.getContentLength() > maxBodyBytes) {
      throw tooLarge();
    }
    return JsonBody.parse(json, readBody());
  }

  /** The query parameter {@code name}, which the route must have declared (allowQuery). */
  public Optional<String> query(String name) {
    if (!allowedQuery.contains(name)) {
      throw new IllegalStateException("the route reads the undeclared query parameter " + name);
    }
    List<String> values = queryParameters().get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new InvalidRequest("'" + name + "' is given more than once");
    }
    return Optional.of(values.get(0));
  }

  public String requiredQuery(String name) {
    return query(name).filter(v -> !v.isEmpty())
        .orElseThrow(() -> new InvalidRequest("'" + name + "' is required"));
  }

  /**
   * The one rule for query parameters, applied by every route ({@code Routes}) before anything
   * else: only the route's own {@code names}, each at most once; any other is a 400.
   */
  void allowQuery(List<String> names) {
    for (String present : queryParameters().keySet()) {
      if (!names.contains(present)) {
        throw new InvalidRequest("unknown query parameter");
      }
    }
    allowedQuery = names;
    names.forEach(this::query);
  }

  private Map<String, List<String>> queryParameters() {
    if (query == null) {
      query = QueryString.parse(request.getQuery().orElse(""));
    }
    return query;
  }

  public Optional<String> header(String name) {
    return request.getFirstHeader(name);
  }

  /** Every field line of the header {@code name}, in the order sent; empty when absent. */
  public List<String> headers(String name) {
    List<String> lines = request.getHeaders().get(name);
    return lines == null ? List.of() : List.copyOf(lines);
  }

  private byte[] readBody() {
    try (InputStream in = request.getInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) {
        throw tooLarge();
      }
      return bytes;
    } catch (IOException e) {
      throw new InvalidRequest("the body could not be read");
    }
  }

  private static PayloadTooLarge tooLarge() {
    return new PayloadTooLarge("the request body is too large");
  }
}

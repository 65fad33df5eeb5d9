package dev.docstore.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.HttpRequest;
import com.google.common.net.MediaType;
import dev.docstore.api.Caller;
import dev.docstore.api.InvalidRequest;
import dev.docstore.api.PayloadTooLarge;
import dev.docstore.api.UnsupportedMediaType;
import dev.docstore.idempotency.IdempotencyKey;
import dev.docstore.input.JsonBody;
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

  public Optional<String> query(String name) {
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

  /** Rejects query parameters other than the listed ones. */
  public void allowQuery(String... names) {
    for (String present : queryParameters().keySet()) {
      if (!List.of(names).contains(present)) {
        throw new InvalidRequest("unknown query parameter");
      }
    }
  }

  /**
   * The query, decoded by the framework when first asked: an escape that is not percent-encoded
   * UTF-8 ({@code %zz}, {@code %C0%AF}, a lone {@code %}) makes its server throw, which is a 400.
   */
  private Map<String, List<String>> queryParameters() {
    try {
      return request.getQueryParameters();
    } catch (RuntimeException e) {
      throw new InvalidRequest("the query string is not valid percent-encoded UTF-8");
    }
  }

  public Optional<String> header(String name) {
    return request.getFirstHeader(name);
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

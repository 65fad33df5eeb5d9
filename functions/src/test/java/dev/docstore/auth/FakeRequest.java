package dev.docstore.auth;

import com.google.cloud.functions.HttpRequest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HttpRequest that is only a method and headers, which is all an authenticator (or an
 * endpoint's method and credential checks) reads; like the Functions Framework's, its header
 * names are case-insensitive and a repeated header has several values.
 */
public final class FakeRequest implements HttpRequest {
  private final Map<String, List<String>> headers =
      new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private String method = "GET";

  /** Headers by name and value; a name given twice (in any case) is a header sent twice. */
  public static FakeRequest with(String... nameValue) {
    FakeRequest r = new FakeRequest();
    for (int i = 0; i < nameValue.length; i += 2) {
      r.headers.computeIfAbsent(nameValue[i], k -> new ArrayList<>()).add(nameValue[i + 1]);
    }
    return r;
  }

  static FakeRequest bearer(String token) {
    return with("Authorization", "Bearer " + token);
  }

  /** The same request with another method. */
  public FakeRequest method(String method) {
    this.method = method;
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

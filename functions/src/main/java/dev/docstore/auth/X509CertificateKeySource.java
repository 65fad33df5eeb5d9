package dev.docstore.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.X509CertUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's securetoken certificates ({@code {kid: PEM certificate}}) as a Nimbus key source,
 * cached for as long as their Cache-Control max-age allows (kept between one minute and one day,
 * so neither a max-age=0 nor a huge one is taken literally). An unknown kid triggers at most one
 * refresh per minute, so a flood of forged kids cannot turn into a flood of fetches; a failed
 * fetch is not retried for {@link #FAILURE_BACKOFF}, so an outage of the certificate endpoint
 * cannot either. Only a caller that needs keys while no unexpired set is held sees the failure
 * (a {@link KeySourceException}: unavailable); while one is held, a kid it lacks finds no key
 * (invalid token), whether or not the refetch for it works.
 */
final class X509CertificateKeySource implements JWKSource<SecurityContext> {
  private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
  private static final Duration MIN_REFRESH_INTERVAL = Duration.ofMinutes(1);
  private static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
  private static final Duration MAX_TTL = Duration.ofDays(1);
  static final Duration FAILURE_BACKOFF = Duration.ofSeconds(10);

  private final URI url;
  private final Clock clock;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private volatile Cached cached;
  /** When the last fetch failed, or null after a success. Guarded by {@code this}. */
  private Instant failedAt;

  X509CertificateKeySource(URI url, Clock clock) {
    this.url = url;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
    Instant now = clock.instant();
    Cached current = cached;
    if (current == null || now.isAfter(current.expiresAt)) {
      current = refresh(now);
    }
    List<JWK> matches = selector.select(current.keys);
    if (matches.isEmpty() && now.isAfter(current.fetchedAt.plus(MIN_REFRESH_INTERVAL))) {
      try {
        matches = selector.select(refresh(now).keys);
      } catch (KeySourceException e) {
        // The set held is still valid and lacks this kid: the token is invalid, whatever the
        // endpoint does now. Unavailable is only for having no valid set at all.
        return List.of();
      }
    }
    return matches;
  }

  private synchronized Cached refresh(Instant now) throws KeySourceException {
    Cached current = cached;
    if (current != null && !now.isAfter(current.fetchedAt.plus(MIN_REFRESH_INTERVAL))
        && now.isBefore(current.expiresAt)) {
      return current;
    }
    if (failedAt != null && now.isBefore(failedAt.plus(FAILURE_BACKOFF))) {
      throw new KeySourceException("token certificates unavailable (last fetch failed)");
    }
    try {
      Cached fresh = fetch(now);
      cached = fresh;
      failedAt = null;
      return fresh;
    } catch (KeySourceException e) {
      failedAt = now;
      throw e;
    }
  }

  private Cached fetch(Instant now) throws KeySourceException {
    HttpResponse<byte[]> response;
    try {
      response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new KeySourceException("cannot fetch token certificates", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeySourceException("interrupted fetching token certificates", e);
    }
    if (response.statusCode() != 200) {
      throw new KeySourceException("token certificates answered " + response.statusCode());
    }
    List<JWK> keys = new ArrayList<>();
    try {
      JsonNode node = json.readTree(response.body());
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        X509Certificate cert = X509CertUtils.parse(entry.getValue().asText());
        if (cert != null) {
          keys.add(new RSAKey.Builder(RSAKey.parse(cert)).keyID(entry.getKey()).build());
        }
      }
    } catch (IOException | JOSEException | RuntimeException e) {
      throw new KeySourceException("malformed token certificates", e);
    }
    Duration ttl = maxAge(response.headers().firstValue("Cache-Control")).orElse(DEFAULT_TTL);
    if (ttl.compareTo(MIN_REFRESH_INTERVAL) < 0) {
      ttl = MIN_REFRESH_INTERVAL;
    } else if (ttl.compareTo(MAX_TTL) > 0) {
      ttl = MAX_TTL;
    }
    return new Cached(new JWKSet(keys), now, now.plus(ttl));
  }

  private static Optional<Duration> maxAge(Optional<String> cacheControl) {
    if (cacheControl.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = MAX_AGE.matcher(cacheControl.get());
    if (!m.find()) {
      return Optional.empty();
    }
    // More digits than a long holds is simply "very long": the cap above applies.
    return Optional.of(m.group(1).length() > 12 ? MAX_TTL
        : Duration.ofSeconds(Long.parseLong(m.group(1))));
  }

  private record Cached(JWKSet keys, Instant fetchedAt, Instant expiresAt) {}
}

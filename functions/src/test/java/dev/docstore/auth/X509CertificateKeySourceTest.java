package dev.docstore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import dev.docstore.testing.TestClock;
import dev.docstore.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The certificate cache: how often it fetches, whatever the callers and the server do. */
class X509CertificateKeySourceTest {
  private static final TestTokens.Key K1 = TestTokens.Key.generate("k1");
  private static final TestTokens.Key K2 = TestTokens.Key.generate("k2");

  private final TestTokens.CertServer server = new TestTokens.CertServer().publish(K1);
  private final TestClock clock = new TestClock(Instant.parse("2026-06-01T12:00:00Z"));
  private final X509CertificateKeySource source =
      new X509CertificateKeySource(URI.create(server.url()), clock);

  @AfterEach
  void stop() {
    server.close();
  }

  private List<JWK> keys(String kid) throws KeySourceException {
    return source.get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), null);
  }

  @Test
  void publishedCertificateBecomesTheKidsKey() throws Exception {
    List<JWK> keys = keys("k1");
    assertEquals(1, keys.size());
    assertEquals(K1.pair().getPublic(), keys.get(0).toRSAKey().toPublicKey());
  }

  @Test
  void cachedForMaxAgeThenRefetched() throws Exception {
    server.cacheControl("public, max-age=3600, must-revalidate, no-transform");
    keys("k1");
    clock.advance(Duration.ofMinutes(59));
    for (int i = 0; i < 20; i++) {
      keys("k1");
    }
    assertEquals(1, server.fetches());
    clock.advance(Duration.ofMinutes(2));
    keys("k1");
    keys("k1");
    assertEquals(2, server.fetches());
  }

  @Test
  void withoutMaxAgeTheDefaultIsFiveMinutes() throws Exception {
    server.cacheControl(null);
    keys("k1");
    clock.advance(Duration.ofMinutes(4));
    keys("k1");
    assertEquals(1, server.fetches());
    clock.advance(Duration.ofMinutes(2));
    keys("k1");
    assertEquals(2, server.fetches());
  }

  @Test
  void maxAgeZeroStillCachesForAMinute() throws Exception {
    server.cacheControl("max-age=0");
    for (int i = 0; i < 20; i++) {
      keys("k1");
    }
    assertEquals(1, server.fetches());
    clock.advance(Duration.ofSeconds(61));
    keys("k1");
    assertEquals(2, server.fetches());
  }

  @Test
  void maxAgeIsCappedAtOneDay() throws Exception {
    server.cacheControl("max-age=8640000");
    keys("k1");
    clock.advance(Duration.ofHours(23));
    keys("k1");
    assertEquals(1, server.fetches());
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    keys("k1");
    assertEquals(2, server.fetches());
  }

  @Test
  void absurdMaxAgeIsCappedNotAnError() throws Exception {
    server.cacheControl("max-age=99999999999999999999999");
    keys("k1");
    clock.advance(Duration.ofDays(1).plusSeconds(1));
    keys("k1");
    assertEquals(2, server.fetches());
  }

  @Test
  void unknownKidRefetchesAtMostOncePerMinute() throws Exception {
    keys("k1");
    for (int i = 0; i < 50; i++) {
      assertTrue(keys("forged-" + i).isEmpty());
    }
    assertEquals(1, server.fetches(), "a fresh cache is not refetched for an unknown kid");
    clock.advance(Duration.ofSeconds(61));
    for (int i = 0; i < 50; i++) {
      assertTrue(keys("forged-" + i).isEmpty());
    }
    assertEquals(2, server.fetches(), "one refetch per minute, however many forged kids");
  }

  @Test
  void rotatedKeyIsPickedUpByTheUnknownKidRefetch() throws Exception {
    keys("k1");
    server.publish(K1, K2);
    clock.advance(Duration.ofSeconds(61));
    assertEquals(1, keys("k2").size());
    assertEquals(2, server.fetches());
    assertEquals(1, keys("k1").size());
    assertEquals(2, server.fetches());
  }

  @Test
  void failedFetchIsNotRetriedUntilTheBackoffPassed() throws Exception {
    server.status(503);
    for (int i = 0; i < 50; i++) {
      assertThrows(KeySourceException.class, () -> keys("k1"));
    }
    assertEquals(1, server.fetches(), "an outage must not turn into a fetch per request");
    server.status(200);
    clock.advance(X509CertificateKeySource.FAILURE_BACKOFF.minusSeconds(1));
    assertThrows(KeySourceException.class, () -> keys("k1"));
    assertEquals(1, server.fetches());
    clock.advance(Duration.ofSeconds(2));
    assertEquals(1, keys("k1").size());
    assertEquals(2, server.fetches());
  }

  @Test
  void unknownKidFindsNoKeyWhileAValidSetIsHeldEvenWhenItsRefetchFails() throws Exception {
    server.cacheControl("max-age=3600");
    keys("k1");
    server.status(503);
    clock.advance(Duration.ofSeconds(61));
    assertTrue(keys("unknown").isEmpty(), "the refetch failed; the held set has no such kid");
    assertEquals(2, server.fetches());
    for (int i = 0; i < 20; i++) {
      assertTrue(keys("forged-" + i).isEmpty(), "in the backoff after the failed refetch");
    }
    assertEquals(2, server.fetches(), "the backoff holds for unknown kids too");
    assertEquals(1, keys("k1").size(), "the held set still serves its own kids");
    clock.advance(X509CertificateKeySource.FAILURE_BACKOFF.plusSeconds(1));
    assertTrue(keys("unknown").isEmpty());
    assertEquals(3, server.fetches());
    server.status(200).publish(K1, K2);
    clock.advance(X509CertificateKeySource.FAILURE_BACKOFF.plusSeconds(1));
    assertEquals(1, keys("k2").size(), "once the endpoint is back, a rotated key is found");
    assertEquals(4, server.fetches());
  }

  @Test
  void failedRefreshOfAnExpiredCacheBacksOffToo() throws Exception {
    server.cacheControl("max-age=600");
    keys("k1");
    server.status(500);
    clock.advance(Duration.ofMinutes(11));
    for (int i = 0; i < 20; i++) {
      assertThrows(KeySourceException.class, () -> keys("k1"));
      assertThrows(KeySourceException.class, () -> keys("unknown"));
    }
    assertEquals(2, server.fetches());
  }

  @Test
  void malformedBodyIsAKeySourceFailure() {
    server.rawBody("{\"k1\": [1, 2");
    assertThrows(KeySourceException.class, () -> keys("k1"));
    server.rawBody("not json");
    clock.advance(X509CertificateKeySource.FAILURE_BACKOFF.plusSeconds(1));
    assertThrows(KeySourceException.class, () -> keys("k1"));
  }

  @Test
  void notFoundIsAKeySourceFailure() {
    X509CertificateKeySource bad = new X509CertificateKeySource(
        URI.create(server.url().replace("/certs", "/nothing")), clock);
    assertThrows(KeySourceException.class,
        () -> bad.get(new JWKSelector(new JWKMatcher.Builder().keyID("k1").build()), null));
  }

  @Test
  void concurrentColdStartFetchesOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<JWK>>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        results.add(pool.submit(() -> keys("k1")));
      }
      for (Future<List<JWK>> f : results) {
        assertEquals(1, f.get().size());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, server.fetches());
  }
}

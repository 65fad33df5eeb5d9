package dev.docstore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.docstore.api.Caller;
import dev.docstore.api.Condition;
import dev.docstore.api.DocstoreException;
import dev.docstore.api.Unauthenticated;
import dev.docstore.config.Config;
import dev.docstore.testing.TestClock;
import dev.docstore.testing.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Claims, skew and tenant-claim precedence of the ID-token verifier, against local certs. */
class FirebaseAuthenticatorTest {
  private static final TestTokens.Key KEY = TestTokens.Key.generate("k1");
  private static final TestTokens.Key OTHER = TestTokens.Key.generate("k2");
  private static final TestTokens.CertServer CERTS = new TestTokens.CertServer().publish(KEY);
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private final TestClock clock = new TestClock(NOW);
  private final FirebaseAuthenticator auth = new FirebaseAuthenticator(config(CERTS.url()), clock);

  @AfterAll
  static void stop() {
    CERTS.close();
  }

  static Config config(String certsUrl) {
    return Config.fromEnv(Map.of("GOOGLE_CLOUD_PROJECT", TestTokens.PROJECT,
        "AUTH_CERTS_URL", certsUrl));
  }

  private static JWTClaimsSet.Builder claims() {
    return TestTokens.claims(NOW, "user-1");
  }

  private Caller accept(String token) {
    return auth.authenticate(FakeRequest.bearer(token));
  }

  private void reject(String token) {
    assertThrows(Unauthenticated.class, () -> accept(token));
  }

  @Test
  void validTokenWithoutTenantClaimsIsTheUsersOwnTenant() {
    assertEquals(new Caller("user-1", "user-1"), accept(KEY.sign(claims().build())));
  }

  @Test
  void tenantIdClaimWins() {
    assertEquals(new Caller("acme", "user-1"), accept(KEY.sign(claims()
        .claim("tenant_id", "acme")
        .claim("firebase", Map.of("tenant", "other", "sign_in_provider", "password"))
        .build())));
  }

  @Test
  void firebaseTenantWhenNoTenantId() {
    assertEquals(new Caller("idp-tenant-1", "user-1"), accept(KEY.sign(claims()
        .claim("firebase", Map.of("tenant", "idp-tenant-1", "sign_in_provider", "password"))
        .build())));
  }

  @Test
  void firebaseClaimWithoutTenantFallsBackToSub() {
    assertEquals(new Caller("user-1", "user-1"), accept(KEY.sign(claims()
        .claim("firebase", Map.of("sign_in_provider", "google.com")).build())));
  }

  @Test
  void malformedTenantClaimsAreRejected() {
    reject(KEY.sign(claims().claim("tenant_id", "a/b").build()));
    reject(KEY.sign(claims().claim("tenant_id", 42).build()));
    reject(KEY.sign(claims().claim("firebase", Map.of("tenant", "x y")).build()));
    reject(KEY.sign(claims().claim("tenant_id", "").build()));
  }

  @Test
  void bearerSchemeIsCaseInsensitive() {
    String token = KEY.sign(claims().build());
    assertEquals("user-1",
        auth.authenticate(FakeRequest.with("Authorization", "bearer " + token)).userId());
  }

  @Test
  void expiryHonoursSmallSkewOnly() {
    accept(KEY.sign(claims().expirationTime(Date.from(NOW.minusSeconds(30))).build()));
    reject(KEY.sign(claims().expirationTime(Date.from(NOW.minusSeconds(120))).build()));
  }

  @Test
  void issuedInTheFutureHonoursSmallSkewOnly() {
    accept(KEY.sign(claims().issueTime(Date.from(NOW.plusSeconds(30))).build()));
    reject(KEY.sign(claims().issueTime(Date.from(NOW.plusSeconds(120))).build()));
  }

  @Test
  void notBeforeInTheFutureIsRejected() {
    reject(KEY.sign(claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build()));
  }

  @Test
  void authTimeInTheFutureHonoursSmallSkewOnly() {
    accept(KEY.sign(claims().claim("auth_time", NOW.plusSeconds(30).getEpochSecond()).build()));
    reject(KEY.sign(claims().claim("auth_time", NOW.plusSeconds(120).getEpochSecond()).build()));
  }

  @Test
  void requiredClaims() {
    reject(KEY.sign(claims().subject(null).build()));
    reject(KEY.sign(claims().subject("").build()));
    reject(KEY.sign(claims().subject("someone@example.com").build()));
    reject(KEY.sign(claims().expirationTime(null).build()));
    reject(KEY.sign(claims().issueTime(null).build()));
  }

  @Test
  void issuerAndAudienceMustMatch() {
    reject(KEY.sign(claims().issuer("https://securetoken.google.com/other").build()));
    reject(KEY.sign(claims().issuer(null).build()));
    reject(KEY.sign(claims().audience("other").build()));
    reject(KEY.sign(claims().audience((String) null).build()));
  }

  @Test
  void forgedTokensAreRejected() {
    JWTClaimsSet c = claims().build();
    reject(OTHER.signAs("k1", c));               // wrong signature for the published kid
    reject(OTHER.sign(c));                       // unknown kid
    reject(KEY.signAs(null, c));                 // no kid
    reject(TestTokens.unsigned(c));              // alg none
    reject(KEY.hs256WithPublicKey(c));           // HS256 keyed with the public key
    String valid = KEY.sign(c);
    reject(valid.substring(0, valid.lastIndexOf('.') + 1));  // signature stripped
    reject(valid + "x");
    reject("garbage");
    reject("a.b.c");
    reject("");
  }

  @Test
  void missingOrNonBearerHeaderIsRejected() {
    assertThrows(Unauthenticated.class, () -> auth.authenticate(FakeRequest.with()));
    assertThrows(Unauthenticated.class, () -> auth.authenticate(
        FakeRequest.with("Authorization", "Basic dXNlcjpwYXNz")));
    assertThrows(Unauthenticated.class, () -> auth.authenticate(
        FakeRequest.with("Authorization", "Bearer")));
    assertThrows(Unauthenticated.class, () -> auth.authenticate(
        FakeRequest.with("Authorization", KEY.sign(claims().build()))));
    // dev headers mean nothing in firebase mode
    assertThrows(Unauthenticated.class, () -> auth.authenticate(
        FakeRequest.with("X-Tenant-Id", "t1", "X-User-Id", "u1")));
  }

  @Test
  void twoAuthorizationHeadersAreAmbiguous() {
    String mine = KEY.sign(claims().build());
    String theirs = KEY.sign(TestTokens.claims(NOW, "user-2").build());
    accept(mine);
    accept(theirs);
    assertThrows(Unauthenticated.class, () -> auth.authenticate(FakeRequest.with(
        "Authorization", "Bearer " + mine, "Authorization", "Bearer " + theirs)));
    assertThrows(Unauthenticated.class, () -> auth.authenticate(FakeRequest.with(
        "Authorization", "Bearer " + mine, "authorization", "Bearer " + mine)));
    assertThrows(Unauthenticated.class, () -> auth.authenticate(FakeRequest.with(
        "Authorization", "Bearer " + mine, "Authorization", "")));
  }

  @Test
  void unreachableCertificatesAreUnavailableNotUnauthenticated() {
    TestTokens.CertServer down = new TestTokens.CertServer().status(500);
    try (down) {
      FirebaseAuthenticator broken = new FirebaseAuthenticator(config(down.url()), clock);
      DocstoreException e = assertThrows(DocstoreException.class,
          () -> broken.authenticate(FakeRequest.bearer(KEY.sign(claims().build()))));
      assertEquals(Condition.UNAVAILABLE, e.condition());
    }
  }

  @Test
  void unknownKidIsUnauthenticatedWhileValidCertificatesAreHeldAndTheEndpointFails() {
    TestTokens.CertServer flaky = new TestTokens.CertServer().publish(KEY);
    try (flaky) {
      FirebaseAuthenticator verifier = new FirebaseAuthenticator(config(flaky.url()), clock);
      verifier.authenticate(FakeRequest.bearer(KEY.sign(claims().build())));
      flaky.status(503);
      clock.advance(Duration.ofSeconds(61));
      for (int i = 0; i < 3; i++) {  // the failed refetch, then the backoff after it
        DocstoreException e = assertThrows(DocstoreException.class, () -> verifier.authenticate(
            FakeRequest.bearer(OTHER.sign(claims().build()))));
        assertEquals(Condition.UNAUTHENTICATED, e.condition());
      }
      assertEquals(new Caller("user-1", "user-1"),
          verifier.authenticate(FakeRequest.bearer(KEY.sign(claims().build()))));
      assertEquals(2, flaky.fetches());
    }
  }
}

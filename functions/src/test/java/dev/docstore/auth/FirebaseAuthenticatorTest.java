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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Claims, skew and the tenant claim of the ID-token verifier, against local certificates. */
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

  // ---- the tenant: the one claim AUTH_TENANT_CLAIM names, never another ----

  private FirebaseAuthenticator tenantFrom(String claim) {
    return new FirebaseAuthenticator(Config.fromEnv(Map.of("GOOGLE_CLOUD_PROJECT",
        TestTokens.PROJECT, "AUTH_CERTS_URL", CERTS.url(), "AUTH_TENANT_CLAIM", claim)), clock);
  }

  private static Caller accept(FirebaseAuthenticator verifier, JWTClaimsSet claims) {
    return verifier.authenticate(FakeRequest.bearer(KEY.sign(claims)));
  }

  private static void reject(FirebaseAuthenticator verifier, JWTClaimsSet claims) {
    assertThrows(Unauthenticated.class,
        () -> verifier.authenticate(FakeRequest.bearer(KEY.sign(claims))), claims.toString());
  }

  /** A token whose every tenant-like claim but the one configured names {@code "victim"}. */
  private static JWTClaimsSet.Builder decoys(String sub) {
    return TestTokens.claims(NOW, sub).claim("tenant_id", "victim").claim("org", "victim")
        .claim("firebase", Map.of("tenant", "victim", "sign_in_provider", "password"));
  }

  @Test
  void byDefaultTheTenantIsTheSubWhateverElseTheTokenSays() {
    assertEquals(new Caller("user-1", "user-1"), accept(KEY.sign(claims().build())));
    assertEquals(new Caller("user-1", "user-1"), accept(KEY.sign(decoys("user-1").build())));
    assertEquals(new Caller("user-1", "user-1"), accept(tenantFrom("sub"), decoys("user-1")
        .build()));
  }

  @Test
  void firebaseTenantIsTheNestedIdentityPlatformClaim() {
    FirebaseAuthenticator verifier = tenantFrom("firebase.tenant");
    assertEquals(new Caller("idp-tenant-1", "user-1"), accept(verifier, decoys("user-1")
        .claim("firebase", Map.of("tenant", "idp-tenant-1", "sign_in_provider", "password"))
        .build()));
    // a top-level claim of that name is not it
    assertEquals(new Caller("idp-tenant-1", "user-1"), accept(verifier, claims()
        .claim("firebase.tenant", "victim")
        .claim("firebase", Map.of("tenant", "idp-tenant-1")).build()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tenant_id", "org"})
  void aCustomClaimIsTheTopLevelClaimOfThatName(String claim) {
    FirebaseAuthenticator verifier = tenantFrom(claim);
    assertEquals(new Caller("acme", "user-1"),
        accept(verifier, decoys("user-1").claim(claim, "acme").build()));
  }

  /** Tokens with the claim absent: the sub (a victim's tenant id, too) is never the fallback. */
  @ParameterizedTest
  @ValueSource(strings = {"firebase.tenant", "tenant_id", "org"})
  void withoutTheConfiguredClaimTheTokenIsRejectedNotTheSubsTenant(String claim) {
    FirebaseAuthenticator verifier = tenantFrom(claim);
    reject(verifier, claims().subject("victim").build());
    JWTClaimsSet.Builder others = TestTokens.claims(NOW, "victim")
        .claim("firebase", Map.of("sign_in_provider", "password"));
    for (String other : new String[] {"tenant_id", "org"}) {
      if (!other.equals(claim)) {
        others.claim(other, "victim");
      }
    }
    if (!claim.equals("firebase.tenant")) {
      others.claim("firebase", Map.of("tenant", "victim"));
    }
    reject(verifier, others.build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sub", "firebase.tenant", "tenant_id"})
  void aTenantClaimThatIsNotAnIdIsRejectedNeverCoerced(String claim) {
    FirebaseAuthenticator verifier = tenantFrom(claim);
    for (Object bad : new Object[] {4242, 42.5, true, List.of("acme"), Map.of("id", "acme"), "",
        "a/b", "..", "x y", "someone@example.com", "t\u00e9", "t".repeat(129)}) {
      JWTClaimsSet.Builder token = claims();
      switch (claim) {
        case "sub" -> token.claim("sub", bad);
        case "firebase.tenant" -> token.claim("firebase", Map.of("tenant", bad));
        default -> token.claim(claim, bad);
      }
      reject(verifier, token.build());
    }
    if (claim.equals("firebase.tenant")) {
      reject(verifier, claims().claim("firebase", "idp-tenant-1").build());
      reject(verifier, claims().claim("firebase", List.of("idp-tenant-1")).build());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"firebase.tenant", "tenant_id"})
  void theUserIsTheSubAndMustBeAnIdToo(String claim) {
    FirebaseAuthenticator verifier = tenantFrom(claim);
    JWTClaimsSet.Builder token = claims().claim("tenant_id", "acme")
        .claim("firebase", Map.of("tenant", "acme"));
    assertEquals(new Caller("acme", "user-1"), accept(verifier, token.build()));
    for (Object bad : new Object[] {4242, "", "a/b", "someone@example.com"}) {
      reject(verifier, token.claim("sub", bad).build());
    }
    reject(verifier, token.subject(null).build());
  }

  @Test
  void tenantIdsAtTheEdgeOfTheAlphabet() {
    FirebaseAuthenticator verifier = tenantFrom("tenant_id");
    for (String ok : new String[] {"t".repeat(128), "A-z.0_9:x", "a..b", "..."}) {
      assertEquals(ok, accept(verifier, claims().claim("tenant_id", ok).build()).tenantId());
    }
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
    reject(KEY.sign(claims().claim("sub", 4242).build()));
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

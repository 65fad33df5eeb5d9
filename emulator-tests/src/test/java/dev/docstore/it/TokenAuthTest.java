package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.docstore.testing.TestTokens;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AUTH_MODE=firebase through the real HTTP functions against the emulators. RSA keys are made
 * here and published as x509 certificates ({@code {kid: PEM}}, like Google's securetoken
 * endpoint) by a local server, with the default AUTH_TENANT_CLAIM (sub). Every bad credential is
 * 401 problem+json that reveals nothing and writes nothing; {@link TenantClaimTest} covers how
 * the tenant is read from a valid token.
 */
class TokenAuthTest {
  private static final TestTokens.Key KEY = TestTokens.Key.generate("kid-1");
  /** Same kid, another key: its signatures do not verify against the published certificate. */
  private static final TestTokens.Key IMPOSTOR = TestTokens.Key.generate("kid-1");
  private static final TestTokens.Key UNPUBLISHED = TestTokens.Key.generate("kid-unpublished");
  private static final TestTokens.CertServer CERTS = new TestTokens.CertServer().publish(KEY);
  private static final String VICTIM = "victim-tenant";

  @RegisterExtension
  static final Stack STACK = new Stack().firebaseAuth(CERTS);

  @AfterAll
  static void stopCertificateServer() {
    CERTS.close();
  }

  private static JWTClaimsSet.Builder claims(String sub) {
    return TestTokens.claims(STACK.clock().instant(), sub);
  }

  private static Date at(long secondsFromNow) {
    return Date.from(STACK.clock().instant().plusSeconds(secondsFromNow));
  }

  // ---- every bad credential: 401, problem+json, nothing revealed, nothing written ----

  /**
   * Each case: its Authorization header (null: none), all naming the victim tenant by sub (the
   * tenant under the default AUTH_TENANT_CLAIM) and by every other tenant-like claim.
   */
  static Stream<Arguments> badCredentials() {
    Function<JWTClaimsSet.Builder, JWTClaimsSet> victim = b -> b.claim("tenant_id", VICTIM)
        .claim("firebase", Map.of("tenant", VICTIM)).build();
    return Stream.of(
        Arguments.of("expired", "Bearer " + KEY.sign(victim.apply(claims(VICTIM)
            .issueTime(at(-7200)).claim("auth_time", Instant.now().getEpochSecond() - 7200)
            .expirationTime(at(-3600))))),
        Arguments.of("issued in the future", "Bearer " + KEY.sign(victim.apply(claims(VICTIM)
            .issueTime(at(600)).expirationTime(at(4200))))),
        Arguments.of("not before in the future", "Bearer " + KEY.sign(victim.apply(claims(VICTIM)
            .notBeforeTime(at(600))))),
        Arguments.of("auth_time in the future", "Bearer " + KEY.sign(victim.apply(claims(VICTIM)
            .claim("auth_time", STACK.clock().instant().getEpochSecond() + 600)))),
        Arguments.of("wrong audience", "Bearer " + KEY.sign(victim.apply(claims(VICTIM)
            .audience("another-project")))),
        Arguments.of("wrong issuer", "Bearer " + KEY.sign(victim.apply(claims(VICTIM)
            .issuer("https://securetoken.google.com/another-project")))),
        Arguments.of("wrong signature", "Bearer " + IMPOSTOR.sign(victim.apply(claims(VICTIM)))),
        Arguments.of("alg none", "Bearer " + TestTokens.unsigned(victim.apply(claims(VICTIM)))),
        Arguments.of("HS256 keyed with the public key",
            "Bearer " + KEY.hs256WithPublicKey(victim.apply(claims(VICTIM)))),
        Arguments.of("missing sub", "Bearer " + KEY.sign(victim.apply(claims(null)))),
        Arguments.of("unknown kid", "Bearer " + UNPUBLISHED.sign(victim.apply(claims(VICTIM)))),
        Arguments.of("garbage", "Bearer not.a-jwt.at-all"),
        Arguments.of("no Authorization header", null),
        Arguments.of("Basic scheme", "Basic dXNlcjpwYXNzd29yZA=="),
        Arguments.of("token without scheme", KEY.sign(victim.apply(claims(VICTIM)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCredentials")
  void badCredentialIs401AndWritesNothing(String name, String authorization) {
    Api.Request create = STACK.api().post(CREATE_DOCUMENT).tenant(null)
        .key("bad-credential-" + name.replace(' ', '-'))
        .json(Map.of("title", "should not exist", "content", "secret content"));
    Api.Request list = STACK.api().get(LIST_DOCUMENTS).tenant(null);
    if (authorization != null) {
      create.header("Authorization", authorization);
      list.header("Authorization", authorization);
    }
    for (Api.Response r : new Api.Response[] {create.send(), list.send()}) {
      BadInputTest.assertProblem(r, 401, "unauthenticated");
      assertEquals("Bearer", r.header("WWW-Authenticate"));
      assertEquals("missing or invalid credentials", r.json().get("detail").asText(),
          "the reason stays in the log: " + r);
      for (String leak : new String[] {"expired", "signature", "kid", "audience", "issuer",
          "JWT", "JOSE", "alg", "sub", VICTIM, "secret"}) {
        assertFalse(r.text().contains(leak), name + " leaks '" + leak + "': " + r);
      }
    }
    assertEquals("Documents=0 DocumentVersions=0 IdempotencyRecords=0 AnalyticsOutbox=0"
        + " DailyApiUsage=0 DailyApiUsageShards=0 ProcessedEvents=0", STACK.rows().census(VICTIM));
    assertEquals(0, STACK.rows().queryLong(
        "SELECT COUNT(*) FROM Documents WHERE Title = @t", "should not exist"));
  }

  @Test
  void twoAuthorizationHeadersAre401EvenWhenEachIsValid() {
    String victims = "Authorization: Bearer " + KEY.sign(claims(VICTIM).build());
    String others = "Authorization: Bearer " + KEY.sign(claims("other-tenant").build());
    String list = "/" + LIST_DOCUMENTS.functionName();
    String create = "/" + CREATE_DOCUMENT.functionName();
    String body = "{\"title\":\"should not exist\",\"content\":\"secret content\"}";
    // each header alone is a valid credential: the 401s below come from the repeat
    assertEquals(200, STACK.api().rawStatus("GET", list, List.of(victims), null));
    assertEquals(200, STACK.api().rawStatus("GET", list, List.of(others), null));
    for (List<String> twice : List.of(List.of(victims, others), List.of(others, victims),
        List.of(victims, victims.replace("Authorization", "authorization")))) {
      assertEquals(401, STACK.api().rawStatus("GET", list, twice, null));
      assertEquals(401, STACK.api().rawStatus("POST", create, twice, body));
    }
    assertEquals("Documents=0 DocumentVersions=0 IdempotencyRecords=0 AnalyticsOutbox=0"
        + " DailyApiUsage=0 DailyApiUsageShards=0 ProcessedEvents=0", STACK.rows().census(VICTIM));
    assertEquals("Documents=0 DocumentVersions=0 IdempotencyRecords=0 AnalyticsOutbox=0"
        + " DailyApiUsage=0 DailyApiUsageShards=0 ProcessedEvents=0", STACK.rows().census("other-tenant"));
  }

  @Test
  void devHeadersAreNotCredentialsInFirebaseMode() {
    Api.Response r = STACK.api().post(CREATE_DOCUMENT).tenant(VICTIM)
        .json(Map.of("title", "dev", "content", "x")).send();
    BadInputTest.assertProblem(r, 401, "unauthenticated");
    assertEquals("Documents=0 DocumentVersions=0 IdempotencyRecords=0 AnalyticsOutbox=0"
        + " DailyApiUsage=0 DailyApiUsageShards=0 ProcessedEvents=0", STACK.rows().census(VICTIM));
  }

  @Test
  void contentKeptByABrowserVariesOnTheTokenAndNotOnDevHeaders() {
    String token = "Bearer " + KEY.sign(claims("content-owner").build());
    Api.Response created = STACK.api().post(CREATE_DOCUMENT).tenant(null)
        .header("Authorization", token).json(Map.of("title", "cached", "content", "x")).send();
    assertEquals(201, created.status(), created.toString());
    Api.Response content = STACK.api().get(GET_VERSION_CONTENT).tenant(null)
        .header("Authorization", token)
        .query("documentId=" + created.json().at("/document/documentId").asText()
            + "&version=1").send();
    assertEquals(200, content.status(), content.toString());
    assertEquals("private, max-age=31536000, immutable", content.header("Cache-Control"));
    assertEquals("Authorization, Origin", content.header("Vary"));
  }
}

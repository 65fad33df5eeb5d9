package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.docstore.api.Operation;
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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AUTH_MODE=firebase through the real HTTP functions against the emulators. RSA keys are made
 * here and published as x509 certificates ({@code {kid: PEM}}, like Google's securetoken
 * endpoint) by a local server. Every bad credential is 401 problem+json that reveals nothing and
 * writes nothing; a valid token reaches its tenant whichever claim names it.
 */
class TokenAuthTest {
  private static final TestTokens.Key KEY = TestTokens.Key.generate("kid-1");
  /** Same kid, another key: its signatures do not verify against the published certificate. */
  private static final TestTokens.Key IMPOSTOR = TestTokens.Key.generate("kid-1");
  private static final TestTokens.Key UNPUBLISHED = TestTokens.Key.generate("kid-unpublished");
  private static final TestTokens.CertServer CERTS = new TestTokens.CertServer().publish(KEY);
  private static final String VICTIM = "victim-tenant";

  @RegisterExtension
  static final Stack STACK = new Stack()
      .env("AUTH_MODE", "firebase")
      .env("AUTH_CERTS_URL", CERTS.url())
      .env("AUTH_ISSUER", TestTokens.ISSUER)
      .env("AUTH_AUDIENCE", TestTokens.PROJECT);

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

  private static Api.Request as(Api.Request request, String token) {
    return request.tenant(null).header("Authorization", "Bearer " + token);
  }

  private static Api.Request post(Operation function, String token) {
    return as(STACK.api().post(function), token);
  }

  private static Api.Request get(Operation function, String token) {
    return as(STACK.api().get(function), token);
  }

  // ---- every bad credential: 401, problem+json, nothing revealed, nothing written ----

  /** Each case: its Authorization header (null: none), all naming the victim tenant. */
  static Stream<Arguments> badCredentials() {
    Function<JWTClaimsSet.Builder, JWTClaimsSet> victim =
        b -> b.claim("tenant_id", VICTIM).build();
    return Stream.of(
        Arguments.of("expired", "Bearer " + KEY.sign(victim.apply(claims("u1")
            .issueTime(at(-7200)).claim("auth_time", Instant.now().getEpochSecond() - 7200)
            .expirationTime(at(-3600))))),
        Arguments.of("issued in the future", "Bearer " + KEY.sign(victim.apply(claims("u1")
            .issueTime(at(600)).expirationTime(at(4200))))),
        Arguments.of("not before in the future", "Bearer " + KEY.sign(victim.apply(claims("u1")
            .notBeforeTime(at(600))))),
        Arguments.of("auth_time in the future", "Bearer " + KEY.sign(victim.apply(claims("u1")
            .claim("auth_time", STACK.clock().instant().getEpochSecond() + 600)))),
        Arguments.of("wrong audience", "Bearer " + KEY.sign(victim.apply(claims("u1")
            .audience("another-project")))),
        Arguments.of("wrong issuer", "Bearer " + KEY.sign(victim.apply(claims("u1")
            .issuer("https://securetoken.google.com/another-project")))),
        Arguments.of("wrong signature", "Bearer " + IMPOSTOR.sign(victim.apply(claims("u1")))),
        Arguments.of("alg none", "Bearer " + TestTokens.unsigned(victim.apply(claims("u1")))),
        Arguments.of("HS256 keyed with the public key",
            "Bearer " + KEY.hs256WithPublicKey(victim.apply(claims("u1")))),
        Arguments.of("missing sub", "Bearer " + KEY.sign(victim.apply(claims(null)))),
        Arguments.of("unknown kid", "Bearer " + UNPUBLISHED.sign(victim.apply(claims("u1")))),
        Arguments.of("garbage", "Bearer not.a-jwt.at-all"),
        Arguments.of("no Authorization header", null),
        Arguments.of("Basic scheme", "Basic dXNlcjpwYXNzd29yZA=="),
        Arguments.of("token without scheme", KEY.sign(victim.apply(claims("u1")))));
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
        + " DailyApiUsage=0 ProcessedEvents=0", STACK.rows().census(VICTIM));
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
        + " DailyApiUsage=0 ProcessedEvents=0", STACK.rows().census(VICTIM));
    assertEquals("Documents=0 DocumentVersions=0 IdempotencyRecords=0 AnalyticsOutbox=0"
        + " DailyApiUsage=0 ProcessedEvents=0", STACK.rows().census("other-tenant"));
  }

  @Test
  void devHeadersAreNotCredentialsInFirebaseMode() {
    Api.Response r = STACK.api().post(CREATE_DOCUMENT).tenant(VICTIM)
        .json(Map.of("title", "dev", "content", "x")).send();
    BadInputTest.assertProblem(r, 401, "unauthenticated");
    assertEquals("Documents=0 DocumentVersions=0 IdempotencyRecords=0 AnalyticsOutbox=0"
        + " DailyApiUsage=0 ProcessedEvents=0", STACK.rows().census(VICTIM));
  }

  // ---- a valid token reaches its tenant, from each of the three claims ----

  enum Source {
    TENANT_ID, FIREBASE_TENANT, SUB;

    /** A valid token of {@code tenant}, the tenant named by this claim, for user {@code user}. */
    String token(String tenant, String user) {
      return switch (this) {
        case TENANT_ID -> KEY.sign(claims(user).claim("tenant_id", tenant).build());
        case FIREBASE_TENANT -> KEY.sign(claims(user).claim("firebase",
            Map.of("tenant", tenant, "sign_in_provider", "password")).build());
        case SUB -> KEY.sign(claims(tenant).build());
      };
    }

    String user(String tenant, String user) {
      return this == SUB ? tenant : user;
    }
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void validTokenReachesItsTenantWhicheverClaimNamesIt(Source creator) {
    String tenant = "tenant-from-" + creator.name().toLowerCase().replace('_', '-');
    Api.Response created = post(CREATE_DOCUMENT, creator.token(tenant, "alice"))
        .json(Map.of("title", "plan of " + tenant, "content", "v1")).send();
    assertEquals(201, created.status(), created.toString());
    assertEquals("no-store", created.header("Cache-Control"));
    String documentId = created.json().at("/document/documentId").asText();
    assertEquals(creator.user(tenant, "alice"), created.json().at("/document/createdBy").asText());
    assertEquals(1, STACK.rows().count("Documents", tenant));

    // the same tenant, named by each of the other claims, sees the document
    for (Source reader : Source.values()) {
      Api.Response r = get(GET_DOCUMENT, reader.token(tenant, "bob"))
          .query("documentId=" + documentId).send();
      assertEquals(200, r.status(), reader + ": " + r);
      assertEquals("plan of " + tenant, r.json().at("/document/title").asText());
      assertEquals("no-store", r.header("Cache-Control"));
      JsonNode docs = get(LIST_DOCUMENTS, reader.token(tenant, "bob")).send().json()
          .get("documents");
      assertEquals(1, docs.size(), reader + ": " + docs);
    }

    // tenant_id wins over firebase.tenant, which wins over sub; dev headers are ignored
    String both = KEY.sign(claims("mallory").claim("tenant_id", tenant)
        .claim("firebase", Map.of("tenant", "elsewhere")).build());
    assertEquals(200, get(GET_DOCUMENT, both).header("X-Tenant-Id", "elsewhere")
        .query("documentId=" + documentId).send().status());

    // another tenant, by any claim, the same user or the creator's own user id: 404, nothing
    for (Source other : Source.values()) {
      for (String otherTenant : new String[] {tenant + "-other", "alice", "elsewhere"}) {
        String token = other.token(otherTenant, "alice");
        Api.Response r = get(GET_DOCUMENT, token).query("documentId=" + documentId).send();
        BadInputTest.assertProblem(r, 404, "not_found");
        assertEquals(0, get(LIST_DOCUMENTS, token).send().json().get("documents").size());
        BadInputTest.assertProblem(post(SET_ACTIVE_VERSION, token)
            .json(Map.of("documentId", documentId, "version", 1)).send(), 404, "not_found");
      }
    }
    String firebaseElsewhere = KEY.sign(claims(tenant).claim("firebase",
        Map.of("tenant", "elsewhere")).build());
    BadInputTest.assertProblem(get(GET_DOCUMENT, firebaseElsewhere)
        .query("documentId=" + documentId).send(), 404, "not_found");
    assertEquals(1, STACK.rows().count("Documents", tenant));
    assertEquals(1, STACK.rows().count("DocumentVersions", tenant));
  }

  @Test
  void userIsTheSubNotTheTenant() {
    String token = Source.TENANT_ID.token("shared-tenant", "carol");
    Api.Response r = post(CREATE_DOCUMENT, token)
        .json(Map.of("title", "carol's", "content", "c")).send();
    assertEquals(201, r.status(), r.toString());
    assertEquals("carol", r.json().at("/document/createdBy").asText());
    assertEquals("carol", r.json().at("/version/createdBy").asText());
    assertTrue(STACK.rows().count("Documents", "carol") == 0);
  }
}

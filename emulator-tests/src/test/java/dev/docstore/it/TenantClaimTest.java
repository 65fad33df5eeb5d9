package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.docstore.api.Operation;
import dev.docstore.testing.TestTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AUTH_TENANT_CLAIM through the real HTTP functions, one stack per value: {@code sub}, {@code
 * firebase.tenant} and a custom claim. The tenant is that one claim and no other: a token whose
 * sub (or any other claim) is another tenant's id never sees that tenant's documents, and a token
 * without the claim, or with one that is not a string id, is 401 and writes nothing.
 */
class TenantClaimTest {
  private static final TestTokens.Key KEY = TestTokens.Key.generate("kid-tenant-claim");
  private static final TestTokens.CertServer CERTS = new TestTokens.CertServer().publish(KEY);
  private static final String CUSTOM_CLAIM = "org_id";
  /** The tenant-like claims besides sub; a mode reads exactly one of the four. */
  private static final List<String> TENANT_LIKE = List.of("firebase.tenant", "tenant_id",
      CUSTOM_CLAIM);

  // One stack at a time serves the functions in a JVM, so each value gets a nested class.

  @Nested
  class Sub extends Scenarios {
    @RegisterExtension
    static final Stack STACK = Mode.SUB.stack;
  }

  @Nested
  class FirebaseTenant extends Scenarios {
    @RegisterExtension
    static final Stack STACK = Mode.FIREBASE_TENANT.stack;
  }

  @Nested
  class Custom extends Scenarios {
    @RegisterExtension
    static final Stack STACK = Mode.CUSTOM.stack;
  }

  @AfterAll
  static void stopCertificateServer() {
    CERTS.close();
  }

  enum Mode {
    SUB("sub"), FIREBASE_TENANT("firebase.tenant"), CUSTOM(CUSTOM_CLAIM);

    final String claim;
    /** The stack with AUTH_TENANT_CLAIM={@link #claim}, started by the nested class of the mode. */
    final Stack stack;

    Mode(String claim) {
      this.claim = claim;
      this.stack = new Stack().firebaseAuth(CERTS).env("AUTH_TENANT_CLAIM", claim);
    }

    /** {@code token} with {@code claim} (as AUTH_TENANT_CLAIM names it) set, or absent for null. */
    static JWTClaimsSet.Builder with(JWTClaimsSet.Builder token, String claim, Object value) {
      return claim.equals("firebase.tenant")
          ? token.claim("firebase", value == null ? Map.of("sign_in_provider", "password")
              : Map.of("tenant", value, "sign_in_provider", "password"))
          : token.claim(claim, value);
    }

    /** Claims of a valid token whose this-mode tenant claim is {@code tenant}. */
    JWTClaimsSet.Builder tenant(String tenant, String user) {
      return with(TestTokens.claims(stack.clock().instant(), this == SUB ? tenant : user),
          claim, tenant);
    }

    /**
     * Claims of a valid token that names {@code victim} in every tenant-like claim this mode does
     * not read, sub included, and {@code own} (null: nothing) in the one it reads.
     */
    JWTClaimsSet.Builder decoy(String victim, String own) {
      JWTClaimsSet.Builder token = TestTokens.claims(stack.clock().instant(), victim);
      for (String other : TENANT_LIKE) {
        with(token, other, victim);
      }
      return with(token, claim, own);
    }

    Api.Request post(Operation function, JWTClaimsSet claims) {
      return stack.api().post(function).tenant(null)
          .header("Authorization", "Bearer " + KEY.sign(claims));
    }

    Api.Request get(Operation function, JWTClaimsSet claims) {
      return stack.api().get(function).tenant(null)
          .header("Authorization", "Bearer " + KEY.sign(claims));
    }
  }

  private static String createdBy(Mode mode, String tenant, String user) {
    Api.Response created = mode.post(CREATE_DOCUMENT, mode.tenant(tenant, user).build())
        .json(Map.of("title", "plan of " + tenant, "content", "v1")).send();
    assertEquals(201, created.status(), created.toString());
    assertEquals(mode == Mode.SUB ? tenant : user,
        created.json().at("/document/createdBy").asText(), "the user is the sub");
    return created.json().at("/document/documentId").asText();
  }

  /** The tests, run by each nested class against its own stack: the mode named like the class. */
  abstract static class Scenarios {
    Mode mode() {  // Sub -> SUB, FirebaseTenant -> FIREBASE_TENANT
      return Mode.valueOf(getClass().getSimpleName().replaceAll("(?<=.)([A-Z])", "_$1")
          .toUpperCase());
    }

    @Test
    void aTokenWhoseOtherClaimsNameAnotherTenantNeverSeesItsDocuments() {
      Mode mode = mode();
      Stack stack = mode.stack;
      String victim = "victim-of-" + mode.name().toLowerCase().replace('_', '-');
      String documentId = createdBy(mode, victim, "owner");
      Api.Response own = mode.get(GET_DOCUMENT, mode.tenant(victim, "owner").build())
          .query("documentId=" + documentId).send();
      assertEquals(200, own.status(), own.toString());
      String before = stack.rows().census(victim);

      // sub and every other claim name the victim; the configured claim names mallory's tenant
      String mallory = "mallory-of-" + mode.name().toLowerCase().replace('_', '-');
      JWTClaimsSet decoy = mode.decoy(victim, mallory).build();
      BadInputTest.assertProblem(mode.get(GET_DOCUMENT, decoy).query("documentId=" + documentId)
          .send(), 404, "not_found");
      assertEquals(0, mode.get(LIST_DOCUMENTS, decoy).send().json().get("documents").size());
      BadInputTest.assertProblem(mode.post(SET_ACTIVE_VERSION, decoy)
          .json(Map.of("documentId", documentId, "version", 1)).send(), 404, "not_found");
      BadInputTest.assertProblem(mode.post(CREATE_DOCUMENT_VERSION, decoy)
          .json(Map.of("documentId", documentId, "content", "v2")).send(), 404, "not_found");
      Api.Response created = mode.post(CREATE_DOCUMENT, decoy)
          .json(Map.of("title", "mallory's", "content", "m")).send();
      assertEquals(201, created.status(), created.toString());
      assertEquals(1, stack.rows().count("Documents", mallory), "the write is mallory's own");

      // without the configured claim, the sub (the victim's id) is no fallback: 401
      if (mode != Mode.SUB) {
        JWTClaimsSet unnamed = mode.decoy(victim, null).build();
        BadInputTest.assertProblem(mode.get(LIST_DOCUMENTS, unnamed).send(), 401,
            "unauthenticated");
        BadInputTest.assertProblem(mode.get(GET_DOCUMENT, unnamed)
            .query("documentId=" + documentId).send(), 401, "unauthenticated");
        BadInputTest.assertProblem(mode.post(CREATE_DOCUMENT, unnamed).key("unnamed")
            .json(Map.of("title", "unnamed", "content", "u")).send(), 401, "unauthenticated");
      }
      assertEquals(before, stack.rows().census(victim), "the victim's rows are unchanged");
    }

    @Test
    void aTokenWithoutTheClaimOrWithANonStringOneIs401AndWritesNothing() {
      Mode mode = mode();
      Stack stack = mode.stack;
      String victim = "4242";  // an id a number would turn into if it were coerced
      String documentId = createdBy(mode, victim, "owner");
      List<JWTClaimsSet> bad = new ArrayList<>();
      for (Object value : new Object[] {null, 4242, true, List.of(victim), Map.of("id", victim),
          "", victim + "/x"}) {
        bad.add(Mode.with(TestTokens.claims(stack.clock().instant(), "someone"), mode.claim, value)
            .build());
      }
      if (mode == Mode.FIREBASE_TENANT) {
        bad.add(TestTokens.claims(stack.clock().instant(), "someone").claim("firebase", victim)
            .build());
      } else if (mode == Mode.CUSTOM) {
        bad.add(TestTokens.claims(stack.clock().instant(), "someone")
            .claim("firebase", Map.of("tenant", victim)).claim("tenant_id", victim).build());
      }
      // the user claim is checked as strictly: a non-string sub is refused in every mode
      bad.add(mode.tenant(victim, "owner").claim("sub", 4242).build());
      bad.add(mode.tenant(victim, "owner").claim("sub", List.of("owner")).build());

      String before = stack.rows().census(victim);
      long documents = stack.rows().count("Documents");
      for (JWTClaimsSet claims : bad) {
        String name = claims.toJSONObject().toString();
        BadInputTest.assertProblem(mode.get(GET_DOCUMENT, claims)
            .query("documentId=" + documentId).send(), 401, "unauthenticated");
        BadInputTest.assertProblem(mode.get(LIST_DOCUMENTS, claims).send(), 401,
            "unauthenticated");
        Api.Response write = mode.post(CREATE_DOCUMENT, claims).key("bad-" + name.hashCode())
            .json(Map.of("title", "should not exist", "content", "x")).send();
        BadInputTest.assertProblem(write, 401, "unauthenticated");
        BadInputTest.assertProblem(mode.post(SET_ACTIVE_VERSION, claims)
            .json(Map.of("documentId", documentId, "version", 1)).send(), 401, "unauthenticated");
      }
      assertEquals(before, stack.rows().census(victim), "nothing was written to the victim");
      assertEquals(documents, stack.rows().count("Documents"), "nothing was written anywhere");
      assertEquals(0, stack.rows().queryLong(
          "SELECT COUNT(*) FROM Documents WHERE Title = @t", "should not exist"));
    }
  }
}

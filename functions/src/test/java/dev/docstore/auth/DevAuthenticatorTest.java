package dev.docstore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.docstore.api.Caller;
import dev.docstore.api.Unauthenticated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DevAuthenticatorTest {
  private final DevAuthenticator auth = new DevAuthenticator();

  @Test
  void tenantAndUserFromHeaders() {
    assertEquals(new Caller("t1", "u1"),
        auth.authenticate(FakeRequest.with("X-Tenant-Id", "t1", "X-User-Id", "u1")));
  }

  @Test
  void userDefaultsToDevUser() {
    assertEquals(new Caller("t1", "dev-user"),
        auth.authenticate(FakeRequest.with("X-Tenant-Id", "t1")));
  }

  @Test
  void missingTenantIsUnauthenticated() {
    assertThrows(Unauthenticated.class, () -> auth.authenticate(FakeRequest.with()));
    assertThrows(Unauthenticated.class,
        () -> auth.authenticate(FakeRequest.with("X-User-Id", "u1")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a/b", "..", ".", "user@example.com", "a b", "t\u00e9",
      "0123456789012345678901234567890123456789012345678901234567890123456789"
          + "01234567890123456789012345678901234567890123456789012345678901234567890"})
  void malformedIdsAreUnauthenticated(String bad) {
    assertThrows(Unauthenticated.class,
        () -> auth.authenticate(FakeRequest.with("X-Tenant-Id", bad)));
    assertThrows(Unauthenticated.class,
        () -> auth.authenticate(FakeRequest.with("X-Tenant-Id", "t1", "X-User-Id", bad)));
  }

  @Test
  void bearerTokenIsNotADevCredential() {
    assertThrows(Unauthenticated.class,
        () -> auth.authenticate(FakeRequest.bearer("anything")));
  }

  @Test
  void aCredentialHeaderSentTwiceIsAmbiguous() {
    for (String[] headers : new String[][] {
        {"X-Tenant-Id", "t1", "X-Tenant-Id", "t2"},
        {"X-Tenant-Id", "t1", "X-Tenant-Id", "t1"},
        {"X-Tenant-Id", "t1", "x-tenant-id", "t2"},
        {"X-Tenant-Id", "t1", "X-Tenant-Id", ""},
        {"X-Tenant-Id", "t1", "X-User-Id", "u1", "X-User-Id", "u2"},
        {"X-Tenant-Id", "t1", "X-User-Id", "u1", "X-USER-ID", "u1"}}) {
      assertThrows(Unauthenticated.class, () -> auth.authenticate(FakeRequest.with(headers)),
          String.join(" ", headers));
    }
    // the same names once each are fine: the rule is about repetition, not the values
    assertEquals(new Caller("t2", "u2"),
        auth.authenticate(FakeRequest.with("x-tenant-id", "t2", "X-USER-ID", "u2")));
  }
}

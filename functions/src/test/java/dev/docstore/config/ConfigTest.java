package dev.docstore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.config.Config.AuthMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every configuration variable (docs/CONTRACT.md): its default, its parse, its refusal. */
class ConfigTest {
  private static final String EMULATOR = "localhost:9010";

  private static Map<String, String> env(String... nameValue) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      env.put(nameValue[i], nameValue[i + 1]);
    }
    return env;
  }

  private static Config onEmulator(String... nameValue) {
    Map<String, String> env = env(nameValue);
    env.putIfAbsent("SPANNER_EMULATOR_HOST", EMULATOR);
    return Config.fromEnv(env);
  }

  private static ConfigException refused(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> Config.fromEnv(env));
  }

  @Test
  void productionDefaults() {
    Config c = Config.fromEnv(Map.of());
    assertEquals("docstore-local", c.projectId());
    assertEquals("local", c.spannerInstance());
    assertEquals("docstore", c.spannerDatabase());
    assertEquals("docstore-local-content", c.contentBucket());
    assertEquals("analytics-events", c.analyticsTopic());
    assertEquals(Duration.ofHours(24), c.idempotencyTtl());
    assertEquals(5L * 1024 * 1024, c.maxContentBytes());
    assertEquals(AuthMode.FIREBASE, c.authMode());
    assertEquals("https://securetoken.google.com/docstore-local", c.authIssuer());
    assertEquals("docstore-local", c.authAudience());
    assertEquals(Config.SECURETOKEN_CERTS, c.authCertsUrl());
    assertEquals("sub", c.authTenantClaim());
    assertFalse(c.failpointsEnabled());
    assertEquals("", c.failpoints());
    assertEquals(Optional.empty(), c.spannerEmulatorHost());
    assertEquals(Optional.empty(), c.pubsubEmulatorHost());
    assertEquals(Optional.empty(), c.storageEmulatorHost());
    assertFalse(c.onEmulator());
    assertEquals(Duration.ofSeconds(5), c.publishTimeout());
    assertEquals(Duration.ofSeconds(30), c.outboxGracePeriod());
    assertEquals(List.of(), c.allowedOrigins());
  }

  @Test
  void projectDrivesBucketIssuerAndAudience() {
    Config c = Config.fromEnv(env("GOOGLE_CLOUD_PROJECT", "acme-prod"));
    assertEquals("acme-prod-content", c.contentBucket());
    assertEquals("https://securetoken.google.com/acme-prod", c.authIssuer());
    assertEquals("acme-prod", c.authAudience());
  }

  @Test
  void everyVariableIsRead() {
    Config c = Config.fromEnv(env(
        "GOOGLE_CLOUD_PROJECT", "p",
        "SPANNER_INSTANCE", "i",
        "SPANNER_DATABASE", "d",
        "CONTENT_BUCKET", "b",
        "ANALYTICS_TOPIC", "t",
        "IDEMPOTENCY_TTL", "PT48H",
        "MAX_CONTENT_BYTES", "1024",
        "AUTH_MODE", "firebase",
        "AUTH_ISSUER", "https://issuer.example",
        "AUTH_AUDIENCE", "aud",
        "AUTH_CERTS_URL", "http://127.0.0.1:1234/certs",
        "AUTH_TENANT_CLAIM", " tenant_id ",
        "FAILPOINTS_ENABLED", "TRUE",
        "FAILPOINTS", "createDocument.beforeCommit=error",
        "SPANNER_EMULATOR_HOST", " localhost:9010 ",
        "PUBSUB_EMULATOR_HOST", "localhost:8085",
        "STORAGE_EMULATOR_HOST", "http://localhost:4443",
        "PUBLISH_TIMEOUT", "PT2S",
        "OUTBOX_GRACE_PERIOD", "PT1M",
        "ALLOWED_ORIGINS", " https://a.example , ,https://b.example"));
    assertEquals("p", c.projectId());
    assertEquals("i", c.spannerInstance());
    assertEquals("d", c.spannerDatabase());
    assertEquals("b", c.contentBucket());
    assertEquals("t", c.analyticsTopic());
    assertEquals(Duration.ofHours(48), c.idempotencyTtl());
    assertEquals(1024, c.maxContentBytes());
    assertEquals(AuthMode.FIREBASE, c.authMode());
    assertEquals("https://issuer.example", c.authIssuer());
    assertEquals("aud", c.authAudience());
    assertEquals("http://127.0.0.1:1234/certs", c.authCertsUrl());
    assertEquals("tenant_id", c.authTenantClaim());
    assertTrue(c.failpointsEnabled());
    assertEquals("createDocument.beforeCommit=error", c.failpoints());
    assertEquals(Optional.of("localhost:9010"), c.spannerEmulatorHost());
    assertEquals(Optional.of("localhost:8085"), c.pubsubEmulatorHost());
    assertEquals(Optional.of("http://localhost:4443"), c.storageEmulatorHost());
    assertEquals(Duration.ofSeconds(2), c.publishTimeout());
    assertEquals(Duration.ofMinutes(1), c.outboxGracePeriod());
    assertEquals(List.of("https://a.example", "https://b.example"), c.allowedOrigins());
  }

  @Test
  void blankMeansUnset() {
    Config c = Config.fromEnv(env("SPANNER_DATABASE", "  ", "IDEMPOTENCY_TTL", "",
        "SPANNER_EMULATOR_HOST", " "));
    assertEquals("docstore", c.spannerDatabase());
    assertEquals(Duration.ofHours(24), c.idempotencyTtl());
    assertFalse(c.onEmulator());
  }

  @Test
  void withDatabaseChangesOnlyTheDatabase() {
    Config c = onEmulator("IDEMPOTENCY_TTL", "PT2H");
    Config other = c.withDatabase("other");
    assertEquals("other", other.spannerDatabase());
    assertEquals(c, other.withDatabase(c.spannerDatabase()));
  }

  // ---- AUTH_MODE and the guards ----

  @Test
  void authModeDefaultsToDevOnTheEmulatorOnly() {
    assertEquals(AuthMode.DEV, onEmulator().authMode());
    assertEquals(AuthMode.FIREBASE, Config.fromEnv(Map.of()).authMode());
  }

  @Test
  void firebaseModeIsAllowedAgainstTheEmulator() {
    assertEquals(AuthMode.FIREBASE, onEmulator("AUTH_MODE", "firebase").authMode());
    assertEquals(AuthMode.FIREBASE, onEmulator("AUTH_MODE", " Firebase ").authMode());
  }

  @Test
  void devModeWithoutAnEmulatorRefusesToStart() {
    ConfigException e = refused(env("AUTH_MODE", "dev"));
    assertTrue(e.getMessage().contains("AUTH_MODE=dev"), e.getMessage());
    assertTrue(e.getMessage().contains("SPANNER_EMULATOR_HOST"), e.getMessage());
    // another emulator does not count: the guard is about Spanner
    refused(env("AUTH_MODE", "dev", "PUBSUB_EMULATOR_HOST", "localhost:8085"));
    assertEquals(AuthMode.DEV, onEmulator("AUTH_MODE", "DEV").authMode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "devel", "firebase,dev", "0"})
  void unknownAuthModeRefuses(String value) {
    assertTrue(refused(env("AUTH_MODE", value)).getMessage().contains("AUTH_MODE"));
  }

  @Test
  void failpointsWithoutAnEmulatorRefuseToStart() {
    assertTrue(refused(env("FAILPOINTS_ENABLED", "true")).getMessage()
        .contains("FAILPOINTS"));
    refused(env("FAILPOINTS", "createDocument.beforeCommit=error"));
    refused(env("FAILPOINTS_ENABLED", "false", "FAILPOINTS", "x=off"));
    assertTrue(onEmulator("FAILPOINTS_ENABLED", "true").failpointsEnabled());
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "1", "on", "tru"})
  void failpointsEnabledIsStrictlyBoolean(String value) {
    assertTrue(assertThrows(ConfigException.class,
        () -> onEmulator("FAILPOINTS_ENABLED", value)).getMessage()
        .contains("FAILPOINTS_ENABLED"));
  }

  // ---- IDEMPOTENCY_TTL: PT1H..PT72H ----

  @ParameterizedTest
  @CsvSource({"PT1H,3600", "PT72H,259200", "P3D,259200", "PT90M,5400", "PT24H,86400",
      " PT2H ,7200"})
  void ttlWithinBounds(String value, long seconds) {
    assertEquals(Duration.ofSeconds(seconds),
        Config.fromEnv(env("IDEMPOTENCY_TTL", value)).idempotencyTtl());
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT59M59S", "PT72H0.001S", "P4D", "PT0S", "-PT24H", "24h", "PT",
      "1 day", "PT9999999999999999999H"})
  void ttlOutOfBoundsOrMalformedRefuses(String value) {
    assertTrue(refused(env("IDEMPOTENCY_TTL", value)).getMessage()
        .contains("IDEMPOTENCY_TTL"));
  }

  // ---- REQUEST_DEADLINE: PT1S..PT55S ----

  @Test
  void requestDeadlineDefaultsToTwentySeconds() {
    assertEquals(Duration.ofSeconds(20), Config.fromEnv(env()).requestDeadline());
  }

  @ParameterizedTest
  @CsvSource({"PT1S,1000", "PT55S,55000", "PT20S,20000", "PT1.5S,1500", " PT30S ,30000"})
  void requestDeadlineWithinBounds(String value, long millis) {
    assertEquals(Duration.ofMillis(millis),
        Config.fromEnv(env("REQUEST_DEADLINE", value)).requestDeadline());
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0.999S", "PT55.001S", "PT60S", "PT1M", "PT0S", "-PT20S", "20s",
      "PT", "PT9999999999999999999S"})
  void requestDeadlineOutOfBoundsOrMalformedRefuses(String value) {
    assertTrue(refused(env("REQUEST_DEADLINE", value)).getMessage()
        .contains("REQUEST_DEADLINE"));
  }

  // ---- numbers and durations ----

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "5MiB", "1.5", "99999999999999999999", "0x10", "25165825",
      "9223372036854775807"})
  void maxContentBytesMustBeAPositiveNumberWithinARequest(String value) {
    assertTrue(refused(env("MAX_CONTENT_BYTES", value)).getMessage()
        .contains("MAX_CONTENT_BYTES"));
  }

  @Test
  void maxContentBytesMayReachTwentyFourMebibytes() {
    assertEquals(Config.LARGEST_MAX_CONTENT_BYTES,
        Config.fromEnv(env("MAX_CONTENT_BYTES", "25165824")).maxContentBytes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUBLISH_TIMEOUT", "OUTBOX_GRACE_PERIOD"})
  void durationsMustBePositive(String name) {
    for (String bad : List.of("PT0S", "-PT1S", "5s", "5", "PT")) {
      assertTrue(refused(env(name, bad)).getMessage().contains(name), name + "=" + bad);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"not a url", "/relative/certs", "ftp://host/certs", "https://"})
  void certsUrlMustBeAnAbsoluteHttpUrl(String value) {
    assertTrue(refused(env("AUTH_CERTS_URL", value)).getMessage().contains("AUTH_CERTS_URL"));
  }

  // ---- AUTH_TENANT_CLAIM: sub, firebase.tenant or one custom claim ----

  @ParameterizedTest
  @ValueSource(strings = {"sub", "firebase.tenant", "tenant_id", "tenantId", "org", "_tenant",
      "tenant-id", "Sub"})
  void tenantClaimIsSubFirebaseTenantOrACustomClaim(String value) {
    assertEquals(value, Config.fromEnv(env("AUTH_TENANT_CLAIM", value)).authTenantClaim());
  }

  @Test
  void customTenantClaimNamesHaveAtMostSixtyFourCharacters() {
    String longest = "t".repeat(64);
    assertEquals(longest, Config.fromEnv(env("AUTH_TENANT_CLAIM", longest)).authTenantClaim());
    refused(env("AUTH_TENANT_CLAIM", longest + "t"));
  }

  @Test
  void tenantClaimDefaultsToSub() {
    assertEquals("sub", Config.fromEnv(env("AUTH_TENANT_CLAIM", " ")).authTenantClaim());
    assertEquals("sub", onEmulator().authTenantClaim());
  }

  @ParameterizedTest
  @ValueSource(strings = {"firebase", "firebase.sign_in_provider", "FIREBASE.TENANT", "a.b",
      "tenant id", "tenant/id", "https://example.com/tenant", "9lives", "-tenant", "t\u00e9nant",
      "aud", "iss", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "user_id", "email",
      "email_verified", "phone_number", "name", "picture"})
  void tenantClaimThatCannotNameATenantRefusesToStart(String value) {
    ConfigException e = refused(env("AUTH_TENANT_CLAIM", value));
    assertTrue(e.getMessage().contains("AUTH_TENANT_CLAIM"), e.getMessage());
  }

  @Test
  void messagesNeverCarryAStackOfCauses() {
    // ConfigException is what start-up prints: one line naming the variable.
    ConfigException e = refused(env("IDEMPOTENCY_TTL", "forever"));
    assertEquals(null, e.getCause());
  }
}

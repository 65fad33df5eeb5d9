package dev.docstore.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The environment (docs/CONTRACT.md, "Configuration"), read once into typed values. Everything
 * that reads configuration takes this object; only {@link #fromEnv(Map)} looks at variables, so
 * tests pass their own map.
 */
public record Config(
    String projectId,
    String spannerInstance,
    String spannerDatabase,
    String contentBucket,
    String analyticsTopic,
    Duration idempotencyTtl,
    long maxContentBytes,
    AuthMode authMode,
    String authIssuer,
    String authAudience,
    String authCertsUrl,
    String authTenantClaim,
    boolean failpointsEnabled,
    String failpoints,
    Optional<String> spannerEmulatorHost,
    Optional<String> pubsubEmulatorHost,
    Optional<String> storageEmulatorHost,
    Duration publishTimeout,
    Duration outboxGracePeriod,
    List<String> allowedOrigins,
    Duration requestDeadline) {

  public enum AuthMode {
    FIREBASE,
    DEV
  }

  /**
   * The one emulator guard: development-only switches refuse to run anywhere but against the
   * emulator. In the compact constructor, so no Config (from the environment or derived from
   * another) can exist without it holding.
   */
  public Config {
    if (!failpointsEnabled && !failpoints.isBlank()) {
      throw new ConfigException("FAILPOINTS is set but FAILPOINTS_ENABLED is not true");
    }
    if (spannerEmulatorHost.isEmpty()) {
      if (authMode == AuthMode.DEV) {
        throw new ConfigException(
            "AUTH_MODE=dev is for local development only and needs SPANNER_EMULATOR_HOST;"
                + " refusing to start without an emulator");
      }
      if (failpointsEnabled || !failpoints.isBlank()) {
        throw new ConfigException(
            "FAILPOINTS_ENABLED/FAILPOINTS are for tests against the emulator only and need"
                + " SPANNER_EMULATOR_HOST; refusing to start with failpoints configured");
      }
    }
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public static final Duration MIN_TTL = Duration.ofHours(1);
  public static final Duration MAX_TTL = Duration.ofHours(72);
  /**
   * REQUEST_DEADLINE bounds: at least a second (a round trip or two), and below the function's
   * 60 s timeout with room to answer, so the caller gets our 503 rather than the platform's.
   */
  public static final Duration MIN_REQUEST_DEADLINE = Duration.ofSeconds(1);
  public static final Duration MAX_REQUEST_DEADLINE = Duration.ofSeconds(55);
  public static final long DEFAULT_MAX_CONTENT_BYTES = 5L * 1024 * 1024;
  /** Cloud Functions takes HTTP requests up to 32 MiB, and base64 grows content by 4/3. */
  public static final long LARGEST_MAX_CONTENT_BYTES = 24L * 1024 * 1024;
  static final String SECURETOKEN_CERTS =
      "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com";
  /** AUTH_TENANT_CLAIM: the token's subject, so every user is a tenant of their own. */
  public static final String TENANT_CLAIM_SUB = "sub";
  /** AUTH_TENANT_CLAIM: Identity Platform tenants, {@code tenant} in the {@code firebase} claim. */
  public static final String TENANT_CLAIM_FIREBASE = "firebase.tenant";
  private static final Pattern CUSTOM_CLAIM = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
  /**
   * Claims that cannot name a tenant: the ones every token of the project shares or that say
   * when and how it was issued (Firebase reserves them, so no custom claim can have their name),
   * and the profile claims a user can change for themselves.
   */
  private static final Set<String> NOT_TENANT_CLAIMS = Set.of(
      "acr", "amr", "at_hash", "aud", "auth_time", "azp", "cnf", "c_hash", "exp", "firebase",
      "iat", "iss", "jti", "nbf", "nonce", "user_id", "email", "email_verified", "phone_number",
      "name", "picture");

  public static Config fromEnv(Map<String, String> env) {
    String project = get(env, "GOOGLE_CLOUD_PROJECT").orElse("docstore-local");
    Optional<String> spannerEmulator = get(env, "SPANNER_EMULATOR_HOST");
    AuthMode authMode = parseAuthMode(get(env, "AUTH_MODE").orElse(null), spannerEmulator);
    return new Config(
            project,
            get(env, "SPANNER_INSTANCE").orElse("local"),
            get(env, "SPANNER_DATABASE").orElse("docstore"),
            get(env, "CONTENT_BUCKET").orElse(project + "-content"),
            get(env, "ANALYTICS_TOPIC").orElse("analytics-events"),
            parseTtl(get(env, "IDEMPOTENCY_TTL").orElse("PT24H")),
            parsePositiveLong(env, "MAX_CONTENT_BYTES", DEFAULT_MAX_CONTENT_BYTES),
            authMode,
            get(env, "AUTH_ISSUER").orElse("https://securetoken.google.com/" + project),
            get(env, "AUTH_AUDIENCE").orElse(project),
            parseUrl(env, "AUTH_CERTS_URL", SECURETOKEN_CERTS),
            parseTenantClaim(get(env, "AUTH_TENANT_CLAIM").orElse(TENANT_CLAIM_SUB)),
            parseBoolean(env, "FAILPOINTS_ENABLED"),
            get(env, "FAILPOINTS").orElse(""),
            spannerEmulator,
            get(env, "PUBSUB_EMULATOR_HOST"),
            get(env, "STORAGE_EMULATOR_HOST"),
            parseDuration(env, "PUBLISH_TIMEOUT", Duration.ofSeconds(5)),
            parseDuration(env, "OUTBOX_GRACE_PERIOD", Duration.ofSeconds(30)),
            get(env, "ALLOWED_ORIGINS").map(Config::splitList).orElse(List.of()),
            parseRequestDeadline(get(env, "REQUEST_DEADLINE").orElse("PT20S")));
  }

  public boolean onEmulator() {
    return spannerEmulatorHost.isPresent();
  }

  public Config withDatabase(String database) {
    return new Config(projectId, spannerInstance, database, contentBucket, analyticsTopic,
        idempotencyTtl, maxContentBytes, authMode, authIssuer, authAudience, authCertsUrl,
        authTenantClaim, failpointsEnabled, failpoints, spannerEmulatorHost, pubsubEmulatorHost,
        storageEmulatorHost, publishTimeout, outboxGracePeriod, allowedOrigins, requestDeadline);
  }

  private static AuthMode parseAuthMode(String value, Optional<String> emulator) {
    if (value == null) {
      return emulator.isPresent() ? AuthMode.DEV : AuthMode.FIREBASE;
    }
    return switch (value.trim().toLowerCase()) {
      case "firebase" -> AuthMode.FIREBASE;
      case "dev" -> AuthMode.DEV;
      default -> throw new ConfigException("AUTH_MODE must be firebase or dev, was " + value);
    };
  }

  /**
   * {@code sub}, {@code firebase.tenant} or the name of a top-level custom claim. Claim names are
   * case-sensitive and taken literally: no other dotted path, and none of {@link
   * #NOT_TENANT_CLAIMS}, since a tenant named by them would be shared by every user or chosen by
   * the user.
   */
  private static String parseTenantClaim(String value) {
    if (value.equals(TENANT_CLAIM_SUB) || value.equals(TENANT_CLAIM_FIREBASE)
        || (CUSTOM_CLAIM.matcher(value).matches() && !NOT_TENANT_CLAIMS.contains(value))) {
      return value;
    }
    throw new ConfigException("AUTH_TENANT_CLAIM must be sub, firebase.tenant or the name of a"
        + " custom claim ([A-Za-z_][A-Za-z0-9_-]{0,63}, not a registered or profile claim such as"
        + " aud or email), was " + value);
  }

  /**
   * Strictly true or false: a typo such as FAILPOINTS_ENABLED=yes must not silently mean false
   * (nor true), since the guards and the tests' fault injection both depend on it.
   */
  private static boolean parseBoolean(Map<String, String> env, String name) {
    String value = get(env, name).orElse("false");
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new ConfigException(name + " must be true or false, was " + value);
  }

  /** An absolute http(s) URL, checked at start-up rather than at the first token. */
  private static String parseUrl(Map<String, String> env, String name, String fallback) {
    String value = get(env, name).orElse(fallback);
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (uri.getHost() != null
          && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
        return value;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ConfigException(name + " must be an absolute http(s) URL");
  }

  private static Duration parseTtl(String value) {
    Duration ttl;
    try {
      ttl = Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new ConfigException("IDEMPOTENCY_TTL must be an ISO-8601 duration such as PT24H");
    }
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new ConfigException("IDEMPOTENCY_TTL must be between PT1H and PT72H, was " + value);
    }
    return ttl;
  }

  private static Duration parseRequestDeadline(String value) {
    Duration deadline;
    try {
      deadline = Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new ConfigException("REQUEST_DEADLINE must be an ISO-8601 duration such as PT20S");
    }
    if (deadline.compareTo(MIN_REQUEST_DEADLINE) < 0
        || deadline.compareTo(MAX_REQUEST_DEADLINE) > 0) {
      throw new ConfigException("REQUEST_DEADLINE must be between PT1S and PT55S (below the"
          + " function's 60 s timeout), was " + value);
    }
    return deadline;
  }

  private static Duration parseDuration(Map<String, String> env, String name, Duration fallback) {
    Optional<String> value = get(env, name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      Duration d = Duration.parse(value.get().trim());
      if (d.isNegative() || d.isZero()) {
        throw new ConfigException(name + " must be a positive ISO-8601 duration");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new ConfigException(name + " must be an ISO-8601 duration such as PT5S");
    }
  }

  private static long parsePositiveLong(Map<String, String> env, String name, long fallback) {
    Optional<String> value = get(env, name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.get().trim());
      if (parsed <= 0 || parsed > LARGEST_MAX_CONTENT_BYTES) {
        throw new ConfigException(name + " must be a number of bytes from 1 to "
            + LARGEST_MAX_CONTENT_BYTES + " (24 MiB: base64 in a 32 MiB request)");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number of bytes from 1 to "
          + LARGEST_MAX_CONTENT_BYTES);
    }
  }

  private static List<String> splitList(String value) {
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}

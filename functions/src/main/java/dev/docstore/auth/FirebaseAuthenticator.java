package dev.docstore.auth;

import com.google.cloud.functions.HttpRequest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.docstore.api.Caller;
import dev.docstore.api.Unauthenticated;
import dev.docstore.api.Unavailable;
import dev.docstore.config.Config;
import dev.docstore.input.Identifiers;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies Firebase Auth / Identity Platform ID tokens with Nimbus JOSE+JWT: RS256 only, signed
 * by a current securetoken certificate, with the configured issuer and audience, valid exp, iat
 * and auth_time (60 s skew). tenant = the one claim named by AUTH_TENANT_CLAIM, with no fallback
 * to another claim; user = sub. Both are read from the token's own JSON, so a claim that is not
 * a string is refused, never turned into one.
 */
public final class FirebaseAuthenticator implements Authenticator {
  private static final int MAX_SKEW_SECONDS = 60;

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final Clock clock;
  private final String tenantClaim;
  private final Function<Map<String, Object>, Object> tenantOf;

  public FirebaseAuthenticator(Config config, Clock clock) {
    this.clock = clock;
    this.tenantClaim = config.authTenantClaim();
    this.tenantOf = tenantLookup(tenantClaim);
    JWSVerificationKeySelector<SecurityContext> byKid = new JWSVerificationKeySelector<>(
        JWSAlgorithm.RS256, new X509CertificateKeySource(URI.create(config.authCertsUrl()), clock));
    // Firebase ID tokens always name their certificate. Without a kid Nimbus would try every
    // published key; the Firebase verification rules reject such a token, so do we.
    processor.setJWSKeySelector((header, context) ->
        header.getKeyID() == null ? List.of() : byKid.selectJWSKeys(header, context));
    DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
        config.authAudience(),
        new JWTClaimsSet.Builder().issuer(config.authIssuer()).build(),
        Set.of("sub", "iat", "exp")) {
      @Override
      protected Date currentTime() {
        return Date.from(FirebaseAuthenticator.this.clock.instant());
      }
    };
    verifier.setMaxClockSkew(MAX_SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(verifier);
  }

  /** Where the tenant is in a token's claims, for each value of AUTH_TENANT_CLAIM. */
  private static Function<Map<String, Object>, Object> tenantLookup(String name) {
    if (name.equals(Config.TENANT_CLAIM_FIREBASE)) {
      return claims -> claims.get("firebase") instanceof Map<?, ?> firebase
          ? firebase.get("tenant") : null;
    }
    return claims -> claims.get(name);
  }

  @Override
  public Caller authenticate(HttpRequest request) {
    String header = CredentialHeaders.single(request, "Authorization").orElse("");
    if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Unauthenticated("no bearer token");
    }
    JWTClaimsSet verified;
    Map<String, Object> claims;
    try {
      SignedJWT token = SignedJWT.parse(header.substring(7).trim());
      verified = processor.process(token, null);
      // Nimbus reads a numeric sub as a string; the payload as sent keeps its JSON types.
      claims = token.getPayload().toJSONObject();
    } catch (KeySourceException e) {
      throw new Unavailable("token certificates are unavailable");
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new Unauthenticated("invalid token");
    }
    Date latest = Date.from(clock.instant().plusSeconds(MAX_SKEW_SECONDS));
    if (verified.getIssueTime().after(latest)) {
      throw new Unauthenticated("token issued in the future");
    }
    try {
      Date authTime = verified.getDateClaim("auth_time");
      if (authTime != null && authTime.after(latest)) {
        throw new Unauthenticated("auth_time in the future");
      }
    } catch (ParseException e) {
      throw new Unauthenticated("malformed auth_time");
    }
    String user = id(claims.get("sub"), "sub");
    String tenant = id(tenantOf.apply(claims), tenantClaim);
    return new Caller(tenant, user);
  }

  /** A claim that must be an id: a string of {@link Identifiers}' alphabet, else 401. */
  private static String id(Object claim, String name) {
    if (claim instanceof String s && Identifiers.valid(s)) {
      return s;
    }
    throw new Unauthenticated(claim == null ? "no " + name + " claim"
        : claim instanceof String ? "malformed " + name + " claim"
        : "non-string " + name + " claim");
  }
}

package dev.docstore.auth;

import com.google.cloud.functions.HttpRequest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
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

/**
 * Verifies Firebase Auth / Identity Platform ID tokens with Nimbus JOSE+JWT: RS256 only, signed
 * by a current securetoken certificate, with the configured issuer and audience, valid exp, iat
 * and auth_time (60 s skew) and a non-empty sub. tenant = tenant_id, else firebase.tenant, else
 * sub; user = sub.
 */
public final class FirebaseAuthenticator implements Authenticator {
  private static final int MAX_SKEW_SECONDS = 60;

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final Clock clock;

  public FirebaseAuthenticator(Config config, Clock clock) {
    this.clock = clock;
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

  @Override
  public Caller authenticate(HttpRequest request) {
    String header = request.getFirstHeader("Authorization").orElse("");
    if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Unauthenticated("no bearer token");
    }
    String token = header.substring(7).trim();
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (KeySourceException e) {
      throw new Unavailable("token certificates are unavailable");
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new Unauthenticated("invalid token");
    }
    Date latest = Date.from(clock.instant().plusSeconds(MAX_SKEW_SECONDS));
    if (claims.getIssueTime().after(latest)) {
      throw new Unauthenticated("token issued in the future");
    }
    try {
      Date authTime = claims.getDateClaim("auth_time");
      if (authTime != null && authTime.after(latest)) {
        throw new Unauthenticated("auth_time in the future");
      }
      String sub = claims.getSubject();
      if (sub == null || sub.isBlank() || !Identifiers.valid(sub)) {
        throw new Unauthenticated("missing or malformed sub");
      }
      String tenant = claims.getStringClaim("tenant_id");
      if (tenant == null) {
        Map<String, Object> firebase = claims.getJSONObjectClaim("firebase");
        Object fromFirebase = firebase == null ? null : firebase.get("tenant");
        tenant = fromFirebase instanceof String s ? s : null;
      }
      if (tenant == null) {
        tenant = sub;
      }
      if (!Identifiers.valid(tenant)) {
        throw new Unauthenticated("malformed tenant");
      }
      return new Caller(tenant, sub);
    } catch (ParseException e) {
      throw new Unauthenticated("malformed claims");
    }
  }
}

package dev.docstore.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test keys, certificates and ID tokens: RSA keys generated here, published as Google's
 * securetoken endpoint does ({@code {kid: PEM certificate}}) by a local HTTP server.
 */
public final class TestTokens {
  /** The project the tokens are issued for: their audience, and their issuer's last segment. */
  public static final String PROJECT = "proj-test";
  public static final String ISSUER = "https://securetoken.google.com/" + PROJECT;

  private TestTokens() {}

  /** An RSA key pair with a self-signed certificate, published under {@code kid}. */
  public record Key(String kid, KeyPair pair, String pem) {
    public static Key generate(String kid) {
      try {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=securetoken-test-" + kid);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
            BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.DAYS)),
            Date.from(now.plus(7, ChronoUnit.DAYS)), name, pair.getPublic());
        var cert = new JcaX509CertificateConverter().getCertificate(builder.build(
            new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
          writer.writeObject(cert);
        }
        return new Key(kid, pair, pem.toString());
      } catch (NoSuchAlgorithmException | IOException | RuntimeException
          | org.bouncycastle.operator.OperatorCreationException
          | java.security.cert.CertificateException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A compact RS256 token signed with this key, its header naming this kid. */
    public String sign(JWTClaimsSet claims) {
      return signAs(kid, claims);
    }

    /** Like {@link #sign}, with another kid in the header. */
    public String signAs(String headerKid, JWTClaimsSet claims) {
      try {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(headerKid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner((RSAPrivateKey) pair.getPrivate()));
        return jwt.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** HS256 keyed with the public key's bytes: the classic algorithm-confusion forgery. */
    public String hs256WithPublicKey(JWTClaimsSet claims) {
      try {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid)
            .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(pair.getPublic().getEncoded()));
        return jwt.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The claims as an unsecured token ({@code alg: none}). */
  public static String unsigned(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  /** Claims of a valid ID token issued {@code now}, for {@link #PROJECT}. */
  public static JWTClaimsSet.Builder claims(Instant now, String sub) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(PROJECT)
        .subject(sub)
        .issueTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plusSeconds(3600)))
        .claim("auth_time", now.minusSeconds(10).getEpochSecond());
  }

  /** Serves the certificates as JSON with a Cache-Control header, and counts the fetches. */
  public static final class CertServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile Map<String, String> certs = Map.of();
    private volatile String cacheControl = "public, max-age=3600, must-revalidate";
    private volatile int status = 200;
    private volatile String rawBody;

    public CertServer() {
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      server.createContext("/certs", exchange -> {
        fetches.incrementAndGet();
        StringBuilder json = new StringBuilder("{");
        certs.forEach((kid, pem) -> json.append(json.length() > 1 ? "," : "")
            .append('"').append(kid).append("\":\"")
            .append(pem.replace("\r", "").replace("\n", "\\n")).append('"'));
        String text = rawBody != null ? rawBody : json.append('}').toString();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        if (cacheControl != null) {
          exchange.getResponseHeaders().add("Cache-Control", cacheControl);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
    }

    public String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/certs";
    }

    public CertServer publish(Key... keys) {
      Map<String, String> map = new LinkedHashMap<>();
      for (Key key : keys) {
        map.put(key.kid(), key.pem());
      }
      certs = map;
      return this;
    }

    public CertServer cacheControl(String value) {
      cacheControl = value;
      return this;
    }

    /** Serves this text instead of the certificates. */
    public CertServer rawBody(String value) {
      rawBody = value;
      return this;
    }

    public CertServer status(int value) {
      status = value;
      return this;
    }

    public int fetches() {
      return fetches.get();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}

package dev.docstore.idempotency;

import dev.docstore.http.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * SHA-256 of the operation and the RFC 8785 canonical form of the body, so key order, white
 * space and equivalent escapes do not change it, while any change of a value does.
 */
public final class Fingerprint {
  private Fingerprint() {}

  public static String of(String operation, byte[] jsonBody) {
    String canonical;
    try {
      canonical = new JsonCanonicalizer(jsonBody).getEncodedString();
    } catch (IOException | RuntimeException e) {
      throw ApiException.invalid("the body is not valid JSON");
    }
    return sha256Hex(operation + "\n" + canonical);
  }

  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}

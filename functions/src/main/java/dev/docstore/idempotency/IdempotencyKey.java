package dev.docstore.idempotency;

import dev.docstore.api.InvalidRequest;
import java.util.List;
import java.util.Optional;

/** The {@code Idempotency-Key} header: 1–255 visible ASCII characters (0x21–0x7E). */
public final class IdempotencyKey {
  public static final String HEADER = "Idempotency-Key";
  private static final int MAX_LENGTH = 255;

  private IdempotencyKey() {}

  /** The key, absent when no header was sent; 400 for anything malformed or repeated. */
  public static Optional<String> parse(List<String> headerValues) {
    if (headerValues == null || headerValues.isEmpty()) {
      return Optional.empty();
    }
    if (headerValues.size() > 1) {
      throw new InvalidRequest("send one Idempotency-Key header");
    }
    String key = headerValues.get(0);
    if (!valid(key)) {
      throw new InvalidRequest(
          "Idempotency-Key must be 1-255 visible ASCII characters (0x21-0x7E)");
    }
    return Optional.of(key);
  }

  static boolean valid(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }
}

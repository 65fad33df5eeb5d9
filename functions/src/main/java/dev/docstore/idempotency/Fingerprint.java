package dev.docstore.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.api.InvalidRequest;
import dev.docstore.api.Operation;
import dev.docstore.input.IfMatch;
import dev.docstore.input.JsonBody;
import dev.docstore.input.Sha256;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * SHA-256 of the operation, the {@code If-Match} precondition and the RFC 8785 canonical form of
 * the body's small fields, so key order, white space and equivalent escapes do not change it,
 * while any change of a value or of the precondition does. A large field (the content) enters by
 * the SHA-256 of its decoded bytes, which its parser already computed ({@link JsonBody#digests}):
 * the cost is that of the small fields, whatever the content's size.
 *
 * <p>Records stored before large fields entered by digest hold the fingerprint of the whole body
 * canonicalised. {@link #matches} falls back to that form, computed only when the current one
 * does not match a stored record (a mismatch or such an old record, both rare), so a retry of a
 * key stored before the change still replays.
 */
public final class Fingerprint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String value;
  private final String prefix;
  private final JsonBody body;

  private Fingerprint(String value, String prefix, JsonBody body) {
    this.value = value;
    this.prefix = prefix;
    this.body = body;
  }

  public static Fingerprint of(Operation operation, Optional<IfMatch> ifMatch, JsonBody body) {
    // Without a precondition the input is what it always was, so records stored before
    // If-Match existed still match their retries.
    String prefix = operation.functionName() + "\n"
        + ifMatch.map(m -> IfMatch.HEADER + ": " + m.canonical() + "\n").orElse("");
    Map<String, String> digests = body.digests();
    if (digests.isEmpty()) {
      // Only small fields: the whole body as received, exactly the form it always had.
      return new Fingerprint(Sha256.hex(prefix + canonical(body.raw())), prefix, null);
    }
    StringBuilder input = new StringBuilder(prefix).append(canonical(smallFields(body)));
    digests.forEach((field, sha256) ->
        input.append('\n').append(field).append(" sha256:").append(sha256));
    return new Fingerprint(Sha256.hex(input.toString()), prefix, body);
  }

  /** The fingerprint to store with the record. */
  public String value() {
    return value;
  }

  /** Whether a stored record's fingerprint is this request's, in its current or earlier form. */
  public boolean matches(String stored) {
    if (value.equals(stored)) {
      return true;
    }
    return body != null && Sha256.hex(prefix + canonical(body.raw())).equals(stored);
  }

  private static byte[] smallFields(JsonBody body) {
    try {
      return JSON.writeValueAsBytes(body.smallFields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a parsed body", e);
    }
  }

  private static String canonical(byte[] json) {
    try {
      return new JsonCanonicalizer(json).getEncodedString();
    } catch (IOException | RuntimeException e) {
      throw new InvalidRequest("the body is not valid JSON");
    }
  }
}

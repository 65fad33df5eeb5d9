package dev.docstore.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.api.Operation;
import dev.docstore.input.Fields;
import dev.docstore.input.IfMatch;
import dev.docstore.input.JsonBody;
import dev.docstore.input.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint canonicalises the small fields only and takes the content by the digest its
 * parser computed; equivalent bodies agree, any changed value or precondition does not; a record
 * stored under the whole-body form still matches.
 */
class FingerprintTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX = 8L * 1024 * 1024;

  /** The body as a write parses it: the content's digest recorded by Fields.content. */
  private static JsonBody parsed(String json) {
    JsonBody body = JsonBody.parse(JSON, json.getBytes(StandardCharsets.UTF_8));
    if (body.has("content") || body.has("contentBase64")) {
      Fields.content(body, MAX);
    }
    return body;
  }

  private static Fingerprint of(String json) {
    return Fingerprint.of(Operation.CREATE_DOCUMENT, Optional.empty(), parsed(json));
  }

  /** The form every record had before content entered by digest. */
  private static String wholeBody(Operation op, String json) throws Exception {
    return Sha256.hex(op.functionName() + "\n"
        + new JsonCanonicalizer(json.getBytes(StandardCharsets.UTF_8)).getEncodedString());
  }

  @Test
  void contentEntersByTheDigestItsParserComputed() {
    JsonBody body = parsed("{\"title\":\"t\",\"content\":\"hello\"}");
    assertEquals(Sha256.hex("hello"), body.digests().get("content"));
    assertEquals(List.of("title"), List.copyOf(iterable(body)));
    String expected = Sha256.hex("createDocument\n{\"title\":\"t\"}\ncontent sha256:"
        + Sha256.hex("hello"));
    assertEquals(expected, Fingerprint.of(Operation.CREATE_DOCUMENT, Optional.empty(), body)
        .value());
  }

  private static List<String> iterable(JsonBody body) {
    List<String> names = new java.util.ArrayList<>();
    body.smallFields().fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void equivalentBodiesAgreeAndAnyValueChangesIt() {
    String base = of("{\"title\":\"t\",\"content\":\"h\\u00e9\",\"contentType\":\"text/plain\"}")
        .value();
    assertEquals(base,
        of("{ \"contentType\" : \"text/plain\", \"content\":\"hé\", \"title\":\"\\u0074\" }")
            .value(), "key order, white space and escapes do not count");
    assertNotEquals(base,
        of("{\"title\":\"t\",\"content\":\"hE\",\"contentType\":\"text/plain\"}").value());
    assertNotEquals(base,
        of("{\"title\":\"u\",\"content\":\"hé\",\"contentType\":\"text/plain\"}").value());
    assertNotEquals(base, of("{\"title\":\"t\",\"content\":\"hé\"}").value());
    assertNotEquals(of("{\"title\":\"t\",\"content\":\"aGk=\"}").value(),
        of("{\"title\":\"t\",\"contentBase64\":\"aGk=\"}").value(),
        "text and base64 are different fields");
  }

  @Test
  void thePreconditionAndTheOperationCount() {
    JsonBody body = parsed("{\"documentId\":\"d\",\"content\":\"x\"}");
    Optional<IfMatch> ifMatch = IfMatch.parse(List.of("\"abc\""));
    String none = Fingerprint.of(Operation.CREATE_DOCUMENT_VERSION, Optional.empty(), body)
        .value();
    assertNotEquals(none,
        Fingerprint.of(Operation.CREATE_DOCUMENT_VERSION, ifMatch, body).value());
    assertNotEquals(none, Fingerprint.of(Operation.CREATE_DOCUMENT, Optional.empty(), body)
        .value());
  }

  @Test
  void aBodyWithoutContentKeepsTheWholeBodyForm() throws Exception {
    String json = "{\"documentId\":\"d\", \"version\":2}";
    Fingerprint fingerprint = Fingerprint.of(Operation.SET_ACTIVE_VERSION, Optional.empty(),
        parsed(json));
    assertEquals(wholeBody(Operation.SET_ACTIVE_VERSION, json), fingerprint.value());
  }

  @Test
  void aRecordStoredUnderTheWholeBodyFormStillMatches() throws Exception {
    String json = "{\"title\":\"t\",\"content\":\"" + "x".repeat(10_000) + "\"}";
    Fingerprint fingerprint = of(json);
    String old = wholeBody(Operation.CREATE_DOCUMENT, json);
    assertNotEquals(old, fingerprint.value(), "the new form is stored from now on");
    assertTrue(fingerprint.matches(old), "a retry of a key stored before still replays");
    assertTrue(fingerprint.matches(fingerprint.value()));
    assertFalse(fingerprint.matches(wholeBody(Operation.CREATE_DOCUMENT,
        "{\"title\":\"t\",\"content\":\"y\"}")), "another body does not match either form");
  }
}

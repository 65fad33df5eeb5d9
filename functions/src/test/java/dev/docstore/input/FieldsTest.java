package dev.docstore.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.docstore.api.InvalidRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** contentType: a media type by RFC 9110's grammar, kept exactly as given. */
class FieldsTest {
  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "text/plain; charset=utf-8", "TEXT/Plain;Charset=UTF-8",
      "application/vnd.api+json", "application/octet-stream", "image/svg+xml",
      "text/html; charset=\"utf-8\"", "text/plain;charset=utf-8 ;format=flowed",
      "text/plain;\tcharset=utf-8", "text/plain; a=\"\\\"quoted\\\" \\\\ pair\"",
      "text/plain; a=\"\"", "text/plain;", "text/plain; ;a=b", "text/plain ;a=b",
      "x-custom/x.y~z!#$%&'*+-.^_`|~09", "text/*x", "multipart/mixed; boundary=\"a;b=c,d\"",
      "text/plain; a=\"tab\there\""})
  void validMediaTypesAreKeptExactly(String contentType) {
    assertSame(contentType, Fields.contentType(contentType));
  }

  @ParameterizedTest
  @ValueSource(strings = {"text /plain", "text/ plain", " text/plain", "text/plain ", "text",
      "text/", "/plain", "text/plain/x", "*/*", "text/*", "*/plain", "*/*; q=0.8",
      "text/plain; charset = utf-8", "text/plain; charset= utf-8", "text/plain; charset=",
      "text/plain; =utf-8", "text/plain; charset", "text/plain; charset=\"utf-8",
      "text/plain; charset=utf 8", "text/plain, text/html", "text/pl@in", "text/{plain}",
      "te(x)t/plain", "text/plain; a=b; c", "text/plain; a=\"\u00e9\"", "text/plåin",
      "text/plain\u0000", "text/plain;\na=b", "text/plain; a=\"\\\u0001\"", "text\u00a0/plain",
      "", "text/plain; a=b c"})
  void anythingElseIsRefused(String contentType) {
    InvalidRequest refused = assertThrows(InvalidRequest.class,
        () -> Fields.contentType(contentType), contentType);
    assertEquals(contentType.startsWith("*") || contentType.startsWith("text/*")
            ? "'contentType' must be a media type, not a media range with *"
            : "'contentType' must be a valid media type: type/subtype, then optional ;name=value"
                + " parameters",
        refused.detail());
  }

  @ParameterizedTest
  @ValueSource(ints = {254, 255})
  void upTo255CharactersAreAllowed(int length) {
    String type = "text/" + "x".repeat(length - 5);
    assertSame(type, Fields.contentType(type));
  }

  @ParameterizedTest
  @ValueSource(ints = {256, 10_000})
  void longerIsRefused(int length) {
    assertEquals("'contentType' must be at most 255 characters", assertThrows(
        InvalidRequest.class, () -> Fields.contentType("text/" + "x".repeat(length - 5)))
        .detail());
  }
}

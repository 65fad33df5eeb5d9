package dev.docstore.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.api.InvalidRequest;
import dev.docstore.testing.IllFormedText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Request bodies are strict JSON in strict UTF-8, with well-formed strings, or a 400. */
class JsonBodyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = 1201L;

  @Test
  void illFormedTextAnywhereIsRefused() {
    IllFormedText text = new IllFormedText(SEED);
    List<String> values = List.of("Quarterly plan", "text/plain; charset=utf-8",
        "0f8fad5b-d9cb-469f-a165-70867728950e", "x");
    for (int i = 0; i < 4_000; i++) {
      String value = values.get(i % values.size());
      IllFormedText.Case c = text.next(value);
      boolean inName = i % 5 == 4;
      byte[] body = inName ? concat("{\"", c.bytes(), "\":\"" + value + "\"}")
          : concat("{\"title\":\"", c.bytes(), "\",\"n\":[1,{\"deep\":true}]}");
      InvalidRequest refused = assertThrows(InvalidRequest.class,
          () -> JsonBody.parse(JSON, body), "seed " + SEED + ", case " + i + ": " + c);
      assertEquals(c.kind() == IllFormedText.Kind.LONE_SURROGATE_ESCAPE
              ? "the body has a lone surrogate escape" : "the body is not valid UTF-8",
          refused.detail().split(" \\(")[0], c.toString());
    }
  }

  @Test
  void aLoneSurrogateEscapeInsideArraysAndNestedObjectsIsRefused() {
    for (String json : List.of("[\"\\ud800\"]", "{\"a\":[{\"b\":\"x\\udfff\"}]}",
        "{\"a\":{\"\\udc00\\ud800\":1}}")) {
      assertThrows(InvalidRequest.class,
          () -> StrictJson.read(JSON, json.getBytes(StandardCharsets.UTF_8)), json);
    }
  }

  @Test
  void wellFormedTextIsReadExactly() {
    String[] texts = {"é", "€", "😀", "\uFFFF", "\uDBFF\uDFFF", "\u007F", "\uFEFFmid"};
    for (String expected : texts) {
      byte[] raw = ("{\"title\":\"" + expected + "\"}").getBytes(StandardCharsets.UTF_8);
      assertEquals(expected, JsonBody.parse(JSON, raw).requiredString("title"));
    }
    for (String escaped : List.of("\\ud83d\\ude00", "\\uD83D\\uDE00", "\\uD83D\\ude00")) {
      byte[] raw = ("{\"title\":\"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8);
      assertEquals("😀", JsonBody.parse(JSON, raw).requiredString("title"), escaped);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uFEFF{\"a\":1}", "\u0000{\"a\":1}"})
  void onlyJsonTextIsJson(String text) {
    assertThrows(InvalidRequest.class,
        () -> JsonBody.parse(JSON, text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void utf16IsNotGuessed() {
    // Jackson would detect UTF-16 from the zero bytes; a request body is UTF-8, so this is not
    // JSON text at all.
    byte[] utf16 = "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16BE);
    assertThrows(InvalidRequest.class, () -> JsonBody.parse(JSON, utf16));
    try {
      JSON.readTree(utf16);
    } catch (java.io.IOException e) {
      fail("the premise: Jackson alone reads UTF-16BE without a BOM", e);
    }
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}

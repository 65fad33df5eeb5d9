package dev.docstore.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generator's cases are what they claim, judged by the JDK's strict UTF-8 decoder and by
 * Jackson's (lenient) reading of the escapes, not by docstore's code.
 */
class IllFormedTextTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyCaseIsIllFormed() throws IOException {
    IllFormedText text = new IllFormedText(42);
    Set<IllFormedText.Kind> kinds = EnumSet.noneOf(IllFormedText.Kind.class);
    Set<IllFormedText.Position> positions = EnumSet.noneOf(IllFormedText.Position.class);
    for (int i = 0; i < 5_000; i++) {
      IllFormedText.Case c = text.next("text/plain");
      kinds.add(c.kind());
      positions.add(c.position());
      if (c.kind() == IllFormedText.Kind.LONE_SURROGATE_ESCAPE) {
        String decoded = JSON.readTree(quoted(c.bytes())).textValue();
        assertFalse(wellFormedUtf16(decoded), c.toString());
      } else {
        assertThrows(CharacterCodingException.class, () -> StandardCharsets.UTF_8.newDecoder()
            .decode(ByteBuffer.wrap(c.bytes())), c.toString());
      }
    }
    assertEquals(EnumSet.allOf(IllFormedText.Kind.class), kinds);
    assertEquals(EnumSet.allOf(IllFormedText.Position.class), positions);
  }

  @Test
  void aSeedRepeatsItsCases() {
    IllFormedText a = new IllFormedText(7);
    IllFormedText b = new IllFormedText(7);
    for (int i = 0; i < 100; i++) {
      assertArrayEquals(a.next("abc").bytes(), b.next("abc").bytes());
    }
  }

  @Test
  void overlongFormsCarryTheSameBits() {
    assertArrayEquals(new byte[] {(byte) 0xC0, (byte) 0xAF}, IllFormedText.encode('/', 2));
    assertArrayEquals(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
        IllFormedText.encode('/', 3));
    assertArrayEquals(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        IllFormedText.encode(0xD800, 3));
    assertArrayEquals(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        IllFormedText.encode(0x110000, 4));
    // The same pattern at the right length is the valid encoding.
    assertArrayEquals("€".getBytes(StandardCharsets.UTF_8), IllFormedText.encode(0x20AC, 3));
  }

  @Test
  void overlongFormsOfTheValueItselfReplaceOneCharacter() {
    IllFormedText text = new IllFormedText(1);
    int seen = 0;
    for (int i = 0; i < 500; i++) {
      IllFormedText.Case c = text.next(IllFormedText.Kind.OVERLONG, "abc");
      if (c.description().startsWith("'")) {
        seen++;
        // Read leniently (each lead byte's payload bits), the bytes spell "abc" again.
        assertEquals("abc", lenient(c.bytes()), c.toString());
      }
    }
    assertTrue(seen > 300, "most overlong cases replace a character of the value: " + seen);
  }

  private static String quoted(byte[] inner) {
    return "\"" + new String(inner, StandardCharsets.US_ASCII) + "\"";
  }

  /** A decoder that ignores overlong forms, as a lenient one does. */
  private static String lenient(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < bytes.length; ) {
      int b = bytes[i] & 0xFF;
      int length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
      int cp = length == 1 ? b : b & (0x7F >> length);
      for (int k = 1; k < length; k++) {
        cp = (cp << 6) | (bytes[i + k] & 0x3F);
      }
      out.appendCodePoint(cp);
      i += length;
    }
    return out.toString();
  }

  private static boolean wellFormedUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}

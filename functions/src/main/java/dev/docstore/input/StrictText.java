package dev.docstore.input;

import com.google.common.base.Utf8;
import dev.docstore.api.InvalidRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Text as it must arrive: bytes in strict UTF-8 (RFC 3629: no overlong form, no encoded
 * surrogate, nothing past U+10FFFF, no truncated sequence or stray continuation byte), and
 * strings of well-formed UTF-16 (no unpaired surrogate). The JDK's UTF-8 decoder refuses every
 * ill-formed sequence instead of replacing it; anything else is a 400, never altered text.
 */
public final class StrictText {
  private StrictText() {}

  /** {@code bytes} decoded as UTF-8; a 400 naming {@code what} when they are not UTF-8. */
  public static String utf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequest(what + " is not valid UTF-8");
    }
  }

  /** {@code text} itself when every surrogate in it is half of a pair; else a 400. */
  public static String wellFormed(String text, String what) {
    try {
      Utf8.encodedLength(text);
      return text;
    } catch (IllegalArgumentException unpairedSurrogate) {
      throw new InvalidRequest(what + " has a lone surrogate escape (a \\uD800-\\uDFFF escape"
          + " that is not half of a pair)");
    }
  }
}

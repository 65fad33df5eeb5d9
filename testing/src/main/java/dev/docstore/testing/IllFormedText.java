package dev.docstore.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Ill-formed text for property-style tests of strict input, drawn from a seeded {@link Random} so
 * that a run is reproducible: byte sequences that are not UTF-8 (RFC 3629) and JSON escapes of
 * lone surrogates, each spliced into an otherwise valid JSON string value.
 *
 * <p>A {@link Case} is the bytes to put between the quotes of a JSON string in place of a valid
 * value (which must be printable ASCII without {@code "} or {@code \}). Overlong forms replace one
 * character of the value by an overlong encoding of that same character, so that a lenient decoder
 * reads exactly the valid value back: a request that must still be refused.
 */
public final class IllFormedText {
  /** What is wrong with a case. */
  public enum Kind {
    /** An ASCII character of the value in 2, 3 or 4 bytes, or a 2- or 3-byte one in 3 or 4. */
    OVERLONG,
    /** A UTF-16 surrogate (U+D800..U+DFFF) encoded as if it were a character, alone or paired. */
    ENCODED_SURROGATE,
    /** A code point past U+10FFFF: 4-byte forms from F4 90, 5- and 6-byte forms, F5..FF. */
    PAST_MAX,
    /** A valid multi-byte sequence cut short. */
    TRUNCATED,
    /** Continuation bytes (80..BF) with no lead byte. */
    STRAY_CONTINUATION,
    /** A JSON escape of an unpaired surrogate: high alone, low alone, a reversed pair. */
    LONE_SURROGATE_ESCAPE
  }

  /** Where a case goes in the value. */
  public enum Position { START, MIDDLE, END }

  /** One ill-formed value: the bytes between the quotes, and a description for messages. */
  public record Case(Kind kind, Position position, String description, byte[] bytes) {
    @Override
    public String toString() {
      return kind + " at " + position + ": " + description;
    }
  }

  private final Random random;

  public IllFormedText(long seed) {
    this.random = new Random(seed);
  }

  /** A case of a random kind at a random position in {@code value}. */
  public Case next(String value) {
    Kind[] kinds = Kind.values();
    return next(kinds[random.nextInt(kinds.length)], value);
  }

  /** A case of {@code kind} at a random position in {@code value}. */
  public Case next(Kind kind, String value) {
    for (char c : value.toCharArray()) {
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        throw new IllegalArgumentException("the value must be printable ASCII without \" or \\");
      }
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException("the value must not be empty");
    }
    Position position = Position.values()[random.nextInt(Position.values().length)];
    int at = switch (position) {
      case START -> 0;
      case MIDDLE -> value.length() / 2;
      case END -> value.length();
    };
    byte[] inserted;
    int replaced = 0;
    String description;
    switch (kind) {
      case OVERLONG -> {
        if (random.nextInt(4) == 0) {
          // A non-ASCII character in more bytes than it needs: U+00E9 in 3 or 4, U+20AC in 4.
          int cp = random.nextBoolean() ? 0xE9 : 0x20AC;
          inserted = encode(cp, cp == 0xE9 ? 3 + random.nextInt(2) : 4);
          description = String.format("U+%04X in %d bytes", cp, inserted.length);
        } else {
          // One character of the value itself, so a lenient decoder yields the valid value.
          int index = Math.min(at, value.length() - 1);
          at = index;
          replaced = 1;
          inserted = encode(value.charAt(index), 2 + random.nextInt(3));
          description = String.format("'%c' in %d bytes", value.charAt(index), inserted.length);
        }
      }
      case ENCODED_SURROGATE -> {
        if (random.nextBoolean()) {
          int s = 0xD800 + random.nextInt(0x800);
          inserted = encode(s, 3);
          description = String.format("U+%04X encoded", s);
        } else {
          // A pair encoded as two characters (CESU-8): a lenient decoder yields one emoji.
          int high = 0xD800 + random.nextInt(0x400);
          int low = 0xDC00 + random.nextInt(0x400);
          inserted = concat(encode(high, 3), encode(low, 3));
          description = String.format("U+%04X U+%04X encoded as a pair", high, low);
        }
      }
      case PAST_MAX -> {
        int choice = random.nextInt(4);
        if (choice == 0) {
          inserted = encode(0x110000 + random.nextInt(0x1FFFFF - 0x110000 + 1), 4);
        } else if (choice == 1) {
          inserted = encode(0x200000 + random.nextInt(0x3FFFFFF - 0x200000 + 1), 5);
        } else if (choice == 2) {
          inserted = encode(0x4000000 + random.nextInt(0x7FFFFFFF - 0x4000000), 6);
        } else {
          inserted = new byte[] {(byte) (0xF5 + random.nextInt(11))};
        }
        description = "past U+10FFFF: " + hex(inserted);
      }
      case TRUNCATED -> {
        int[] samples = {0xE9, 0x3B1, 0x20AC, 0xFFFD, 0x1F600, 0x10FFFF};
        byte[] whole = new String(Character.toChars(samples[random.nextInt(samples.length)]))
            .getBytes(StandardCharsets.UTF_8);
        int keep = 1 + random.nextInt(whole.length - 1);
        inserted = java.util.Arrays.copyOf(whole, keep);
        description = "truncated " + hex(whole) + " to " + hex(inserted);
      }
      case STRAY_CONTINUATION -> {
        inserted = new byte[1 + random.nextInt(3)];
        for (int i = 0; i < inserted.length; i++) {
          inserted[i] = (byte) (0x80 + random.nextInt(0x40));
        }
        description = "stray " + hex(inserted);
      }
      case LONE_SURROGATE_ESCAPE -> {
        String high = escape(0xD800 + random.nextInt(0x400));
        String low = escape(0xDC00 + random.nextInt(0x400));
        String text = switch (random.nextInt(5)) {
          case 0 -> high;
          case 1 -> low;
          case 2 -> low + high;
          case 3 -> high + high;
          default -> high + "\\u0041";
        };
        // Spliced whole into the value, never next to another escape's half.
        inserted = text.getBytes(StandardCharsets.US_ASCII);
        description = text;
      }
      default -> throw new IllegalStateException(kind.name());
    }
    byte[] ascii = value.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ascii, 0, at);
    out.writeBytes(inserted);
    out.write(ascii, at + replaced, ascii.length - at - replaced);
    return new Case(kind, position, description, out.toByteArray());
  }

  /** {@code codePoint} in the UTF-8 bit pattern of {@code length} bytes, whether or not valid. */
  static byte[] encode(int codePoint, int length) {
    if (length == 1) {
      return new byte[] {(byte) codePoint};
    }
    byte[] out = new byte[length];
    int rest = codePoint;
    for (int i = length - 1; i > 0; i--) {
      out[i] = (byte) (0x80 | (rest & 0x3F));
      rest >>>= 6;
    }
    int leadMarker = (0xFF << (8 - length)) & 0xFF;
    out[0] = (byte) (leadMarker | rest);
    return out;
  }

  private String escape(int unit) {
    String hex = String.format("%04x", unit);
    return "\\u" + (random.nextBoolean() ? hex.toUpperCase(Locale.ROOT) : hex);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(out.length() == 0 ? "" : " ").append(String.format("%02X", b & 0xFF));
    }
    return out.toString();
  }
}

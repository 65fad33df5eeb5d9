package dev.docstore.input;

import java.util.ArrayList;
import java.util.List;

/**
 * Entity tags (RFC 9110 §8.8.3) and the comparisons that conditional requests make with them
 * (§8.8.3.2): the weak one for If-None-Match, the strong one for If-Range and If-Match. The one
 * parser of the entity-tag grammar.
 */
public final class EntityTags {
  private EntityTags() {}

  /** One tag of a field: whether it was marked weak ({@code W/}) and its quoted opaque tag. */
  public record Tag(boolean weak, String opaque) {
    /** The strong comparison: neither is weak and the opaque tags are equal. */
    public boolean strongMatch(String current) {
      return !weak && opaque.equals(current);
    }
  }

  /** The strong entity tag of an opaque validator: the validator in double quotes. */
  public static String strong(String validator) {
    return "\"" + validator + "\"";
  }

  /**
   * Whether If-None-Match, given as its field lines, names the current strong tag {@code
   * current}: it is {@code *}, or a list of entity tags one of which matches by the weak
   * comparison (a {@code W/} is ignored). A malformed field names nothing, so the caller gets
   * the full answer rather than a 304 it did not ask for.
   */
  public static boolean noneMatchNames(List<String> fieldLines, String current) {
    if (fieldLines.isEmpty()) {
      return false;
    }
    String value = String.join(", ", fieldLines);
    if (trimOws(value).equals("*")) {
      return true;
    }
    List<Tag> tags = list(value);
    return tags != null && tags.stream().anyMatch(tag -> tag.opaque().equals(current));
  }

  /**
   * Whether If-Range, given as its field lines, is the current strong tag {@code current} by the
   * strong comparison: one tag, not weak, equal. An HTTP-date never is (the content has no
   * Last-Modified), nor is anything malformed or sent twice.
   */
  public static boolean ifRangeHolds(List<String> fieldLines, String current) {
    if (fieldLines.size() != 1) {
      return false;
    }
    List<Tag> tags = list(fieldLines.get(0));
    return tags != null && tags.size() == 1 && tags.get(0).strongMatch(current);
  }

  /**
   * The tags of {@code #entity-tag} (RFC 9110 §5.6.1: empty elements allowed), or null when the
   * value is not such a list.
   */
  public static List<Tag> list(String value) {
    List<Tag> tags = new ArrayList<>();
    int n = value.length();
    int i = skipOws(value, 0);
    while (i < n) {
      if (value.charAt(i) == ',') {
        i = skipOws(value, i + 1);
        continue;
      }
      boolean weak = value.startsWith("W/", i);
      int open = weak ? i + 2 : i;
      if (open >= n || value.charAt(open) != '"') {
        return null;
      }
      int close = open + 1;
      while (close < n && etagc(value.charAt(close))) {
        close++;
      }
      if (close >= n || value.charAt(close) != '"') {
        return null;
      }
      tags.add(new Tag(weak, value.substring(open, close + 1)));
      i = skipOws(value, close + 1);
      if (i < n && value.charAt(i) != ',') {
        return null;
      }
    }
    return tags;
  }

  /** {@code etagc = %x21 / %x23-7E / obs-text}: visible ASCII but the double quote. */
  private static boolean etagc(char c) {
    return c == 0x21 || c >= 0x23 && c <= 0x7E || c >= 0x80 && c <= 0xFF;
  }

  private static int skipOws(String value, int from) {
    int i = from;
    while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  public static String trimOws(String value) {
    int start = skipOws(value, 0);
    int end = value.length();
    while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
      end--;
    }
    return value.substring(start, end);
  }
}

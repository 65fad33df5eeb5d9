package dev.docstore.http;

import dev.docstore.api.RangeNotSatisfiable;
import dev.docstore.input.EntityTags;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one byte range a {@code Range} header asks for (RFC 9110 §14.1.2), resolved against the
 * content's length: bytes {@code first} to {@code last}, both included.
 */
record ByteRange(long first, long last) {
  /** {@code first-pos "-" [ last-pos ]}, or {@code "-" suffix-length}. */
  private static final Pattern SPEC = Pattern.compile("([0-9]+)-([0-9]*)|-([0-9]+)");
  private static final String UNIT = "bytes=";

  long length() {
    return last - first + 1;
  }

  /** The {@code Content-Range} of a 206 for content of {@code total} bytes. */
  String contentRange(long total) {
    return "bytes " + first + "-" + last + "/" + total;
  }

  /** The {@code Content-Range} of a 416: no range, the content's length. */
  static String unsatisfied(long total) {
    return "bytes */" + total;
  }

  /**
   * The range to serve from content of {@code length} bytes, given the Range header's field
   * lines; empty to serve it whole. RFC 9110 lets a server ignore Range, and this one does for
   * anything but exactly one syntactically valid byte range: no header, another unit, several
   * ranges, a malformed one ({@code bytes=5-2}, {@code bytes=x}), a header sent twice. A range
   * whose last byte lies past the end is cut at the end.
   *
   * @throws RangeNotSatisfiable when the one range holds no byte of the content: it starts at
   *     or past the end, it is the last zero bytes, or the content is empty
   */
  static Optional<ByteRange> requested(List<String> fieldLines, long length) {
    if (fieldLines.size() != 1) {
      return Optional.empty();
    }
    String value = fieldLines.get(0);
    if (!value.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
      return Optional.empty();
    }
    List<String> specs = Arrays.stream(value.substring(UNIT.length()).split(",", -1))
        .map(EntityTags::trimOws).filter(spec -> !spec.isEmpty()).toList();
    if (specs.size() != 1) {
      return Optional.empty();
    }
    Matcher m = SPEC.matcher(specs.get(0));
    if (!m.matches()) {
      return Optional.empty();
    }
    if (m.group(3) != null) {
      long suffix = digits(m.group(3));
      if (suffix == 0 || length == 0) {
        throw new RangeNotSatisfiable(length);
      }
      return Optional.of(new ByteRange(Math.max(0, length - suffix), length - 1));
    }
    long first = digits(m.group(1));
    long last = m.group(2).isEmpty() ? Long.MAX_VALUE : digits(m.group(2));
    if (last < first) {
      return Optional.empty();
    }
    if (first >= length) {
      throw new RangeNotSatisfiable(length);
    }
    return Optional.of(new ByteRange(first, Math.min(last, length - 1)));
  }

  /** A position of decimal digits; one too large for a long is past any content's end. */
  private static long digits(String digits) {
    String significant = digits.replaceFirst("^0+(?=.)", "");
    return significant.length() > 18 ? Long.MAX_VALUE : Long.parseLong(significant);
  }

}

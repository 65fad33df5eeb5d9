package dev.docstore.input;

import dev.docstore.api.InvalidRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code If-Match} precondition of a write (RFC 9110 §13.1.1): {@code *}, or a list of entity
 * tags compared strongly, so a weak tag never matches. Anything else is a 400 rather than a
 * precondition silently ignored.
 */
public final class IfMatch {
  public static final String HEADER = "If-Match";

  private final boolean any;
  private final List<String> tags;

  private IfMatch(boolean any, List<String> tags) {
    this.any = any;
    this.tags = List.copyOf(tags);
  }

  /** The precondition, absent when no header was sent. Several header lines form one list. */
  public static Optional<IfMatch> parse(List<String> headerValues) {
    if (headerValues == null || headerValues.isEmpty()) {
      return Optional.empty();
    }
    String value = String.join(",", headerValues).trim();
    if (value.equals("*")) {
      return Optional.of(new IfMatch(true, List.of()));
    }
    List<String> tags = new ArrayList<>();
    for (String element : value.split(",", -1)) {
      String tag = element.trim();
      if (tag.isEmpty() && !tags.isEmpty()) {
        continue; // RFC 9110 §5.6.1: empty list elements are ignored
      }
      if (!entityTag(tag)) {
        throw new InvalidRequest("If-Match must be * or a list of quoted entity tags");
      }
      tags.add(tag);
    }
    return Optional.of(new IfMatch(false, tags));
  }

  /** Whether the document whose current entity tag is {@code etag} satisfies it. */
  public boolean matches(String etag) {
    // A weak tag starts with W/, so it never equals a strong one: strong comparison.
    return any || tags.contains(etag);
  }

  /** The precondition as the idempotency fingerprint takes it: the same for equal headers. */
  public String canonical() {
    return any ? "*" : String.join(", ", tags);
  }

  /** {@code [W/]"etagc*"}, etagc being visible ASCII other than the double quote. */
  private static boolean entityTag(String tag) {
    String opaque = tag.startsWith("W/") ? tag.substring(2) : tag;
    if (opaque.length() < 2 || opaque.charAt(0) != '"'
        || opaque.charAt(opaque.length() - 1) != '"') {
      return false;
    }
    for (int i = 1; i < opaque.length() - 1; i++) {
      char c = opaque.charAt(i);
      if (c < 0x21 || c > 0x7E || c == '"') {
        return false;
      }
    }
    return true;
  }
}

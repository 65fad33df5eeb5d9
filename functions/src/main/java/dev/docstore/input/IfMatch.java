package dev.docstore.input;

import dev.docstore.api.InvalidRequest;
import dev.docstore.input.EntityTags.Tag;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code If-Match} precondition of a write (RFC 9110 §13.1.1): {@code *}, or a list of entity
 * tags compared strongly, so a weak tag never matches. Anything else is a 400 rather than a
 * precondition silently ignored.
 */
public final class IfMatch {
  public static final String HEADER = "If-Match";

  private final boolean any;
  private final List<Tag> tags;

  private IfMatch(boolean any, List<Tag> tags) {
    this.any = any;
    this.tags = List.copyOf(tags);
  }

  /** The precondition, absent when no header was sent. Several header lines form one list. */
  public static Optional<IfMatch> parse(List<String> headerValues) {
    if (headerValues == null || headerValues.isEmpty()) {
      return Optional.empty();
    }
    String value = String.join(", ", headerValues);
    if (EntityTags.trimOws(value).equals("*")) {
      return Optional.of(new IfMatch(true, List.of()));
    }
    List<Tag> tags = EntityTags.list(value);
    if (tags == null || tags.isEmpty()) {
      throw new InvalidRequest("If-Match must be * or a list of quoted entity tags");
    }
    return Optional.of(new IfMatch(false, tags));
  }

  /** Whether the document whose current entity tag is {@code etag} satisfies it. */
  public boolean matches(String etag) {
    return any || tags.stream().anyMatch(tag -> tag.strongMatch(etag));
  }

  /**
   * The precondition as the idempotency fingerprint takes it: the same for headers that mean
   * the same (a list is a set: order and white space do not matter).
   */
  public String canonical() {
    return any ? "*" : tags.stream().map(t -> (t.weak() ? "W/" : "") + t.opaque())
        .sorted().distinct().collect(Collectors.joining(", "));
  }
}

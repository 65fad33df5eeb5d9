package dev.docstore.http;

import dev.docstore.input.EntityTags;
import dev.docstore.versions.VersionContent;
import java.util.Optional;

/**
 * The answer of getVersionContent. Version content never changes, so it is made for caches and
 * players: If-None-Match answers 304, one byte range answers 206 (or 416), and the caller's own
 * browser may keep it for a year. Stored content is never run as the API's own page: nosniff, a
 * sandboxing CSP, and active types ({@link ActiveContent}) only as an attachment.
 */
final class ContentReply {
  static final String IF_NONE_MATCH = "If-None-Match";
  static final String RANGE = "Range";
  static final String IF_RANGE = "If-Range";
  static final String ACCEPT_RANGES = "Accept-Ranges";
  static final String CONTENT_RANGE = "Content-Range";
  static final String CONTENT_DISPOSITION = "Content-Disposition";
  /** One caller's bytes, which never change: only their browser may keep them, for a year. */
  static final String CACHE_CONTROL = "private, max-age=31536000, immutable";

  private ContentReply() {}

  /**
   * 304, 206 or 200 for {@code content}, in RFC 9110's order (§13.2.2): If-None-Match first,
   * then Range (subject to If-Range). A 304 or a 416 reads no byte from storage; a 206 reads only
   * its range.
   */
  static Reply of(Call call, VersionContent content) {
    String etag = EntityTags.strong(content.sha256());
    if (EntityTags.noneMatchNames(call.headers(IF_NONE_MATCH), etag)) {
      return Reply.notModified().withHeader(Reply.ETAG_HEADER, etag).cachedAs(CACHE_CONTROL);
    }
    Optional<ByteRange> range = rangeToServe(call, etag, content.length());
    Reply reply = range
        .map(r -> Reply.partial(content.contentType(), content.range(r.first(),
                Math.toIntExact(r.length())))
            .withHeader(CONTENT_RANGE, r.contentRange(content.length())))
        .orElseGet(() -> Reply.bytes(content.contentType(), content.all()));
    return reply.withHeader(Reply.ETAG_HEADER, etag)
        .withHeader(ACCEPT_RANGES, "bytes")
        .withHeader(CONTENT_DISPOSITION, ActiveContent.disposition(content.contentType()))
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("Content-Security-Policy", "sandbox")
        .cachedAs(CACHE_CONTROL);
  }

  /**
   * The range the request asks for, unless If-Range says the caller's copy is of other content
   * (then the whole content, so the caller does not splice two contents together).
   */
  private static Optional<ByteRange> rangeToServe(Call call, String etag, long length) {
    if (!call.headers(IF_RANGE).isEmpty()
        && !EntityTags.ifRangeHolds(call.headers(IF_RANGE), etag)) {
      return Optional.empty();
    }
    return ByteRange.requested(call.headers(RANGE), length);
  }
}

package dev.docstore.input;

import dev.docstore.api.InvalidRequest;
import dev.docstore.api.PayloadTooLarge;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The request fields and their limits (docs/CONTRACT.md, "Limits"), validated. */
public final class Fields {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  public static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
  private static final int MAX_TITLE = 200;
  private static final int MAX_CONTENT_TYPE = 255;
  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
  private static final String QUOTED_STRING =
      "\"(?:[\\t \\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\t\\x20-\\x7E])*\"";
  private static final Pattern MEDIA_TYPE = Pattern.compile("(" + TOKEN + ")/(" + TOKEN + ")"
      + "(?:[ \\t]*;[ \\t]*(?:" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED_STRING + "))?)*");

  private Fields() {}

  public static String title(String title) {
    int length = title.codePointCount(0, title.length());
    if (length < 1 || length > MAX_TITLE) {
      throw new InvalidRequest("'title' must be 1-200 characters");
    }
    if (title.codePoints().anyMatch(Character::isISOControl)) {
      throw new InvalidRequest("'title' must not contain control characters");
    }
    return title;
  }

  /**
   * Exactly one of content (UTF-8 text) or contentBase64, at most maxBytes once decoded. Its
   * SHA-256 is recorded on the body ({@link JsonBody#digested}), so the idempotency fingerprint
   * reuses it instead of canonicalising the content.
   */
  public static Content content(JsonBody body, long maxBytes) {
    boolean text = body.has("content");
    boolean base64 = body.has("contentBase64");
    if (text == base64) {
      throw new InvalidRequest("send exactly one of 'content' or 'contentBase64'");
    }
    String field = text ? "content" : "contentBase64";
    byte[] bytes;
    if (text) {
      bytes = body.requiredString("content").getBytes(StandardCharsets.UTF_8);
    } else {
      String encoded = body.requiredString("contentBase64");
      if (encoded.length() / 4 * 3 > maxBytes + 3) {
        throw tooLarge(maxBytes);
      }
      try {
        bytes = Base64.getDecoder().decode(encoded);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequest("'contentBase64' is not valid base64");
      }
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    String sha256 = Sha256.hex(bytes);
    body.digested(field, sha256);
    return new Content(bytes, sha256, contentType(body));
  }

  private static String contentType(JsonBody body) {
    return body.optionalString("contentType").map(Fields::contentType)
        .orElse(DEFAULT_CONTENT_TYPE);
  }

  /**
   * A media type by RFC 9110's grammar (section 8.3.1 and 5.6), kept exactly as given: it is
   * stored and served back as the version's Content-Type byte for byte, so nothing is trimmed or
   * normalised. {@code type "/" subtype *( OWS ";" OWS [ token "=" ( token / quoted-string ) ] )}
   * in at most 255 characters; tokens are tchars; a quoted string takes visible ASCII, space and
   * tab (the obsolete non-ASCII octets are refused: a header value is bytes, a JSON string is
   * text). A {@code *} type or subtype is a media range, which describes no content: refused.
   * Guava's and the other Java parsers at hand trim, allow space around "/" or "=", or accept
   * ranges, so the grammar is written out here.
   */
  public static String contentType(String given) {
    if (given.length() > MAX_CONTENT_TYPE) {
      throw new InvalidRequest("'contentType' must be at most 255 characters");
    }
    Matcher m = MEDIA_TYPE.matcher(given);
    if (!m.matches()) {
      throw new InvalidRequest("'contentType' must be a valid media type: type/subtype, then"
          + " optional ;name=value parameters");
    }
    if (m.group(1).equals("*") || m.group(2).equals("*")) {
      throw new InvalidRequest("'contentType' must be a media type, not a media range with *");
    }
    return given;
  }

  public static String documentId(String id) {
    if (id == null || !UUID.matcher(id).matches()) {
      throw new InvalidRequest("'documentId' must be a UUID");
    }
    return id.toLowerCase(Locale.ROOT);
  }

  public static long version(long version) {
    if (version < 1) {
      throw new InvalidRequest("'version' must be a positive integer");
    }
    return version;
  }

  public static long version(String version) {
    try {
      return version(Long.parseLong(version));
    } catch (NumberFormatException e) {
      throw new InvalidRequest("'version' must be a positive integer");
    }
  }

  private static PayloadTooLarge tooLarge(long maxBytes) {
    return new PayloadTooLarge("content is larger than " + maxBytes + " bytes");
  }
}

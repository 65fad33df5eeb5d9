package dev.docstore.input;

import com.google.common.net.MediaType;
import dev.docstore.api.InvalidRequest;
import dev.docstore.api.PayloadTooLarge;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/** The request fields and their limits (docs/CONTRACT.md, "Limits"), validated. */
public final class Fields {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  public static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
  private static final int MAX_TITLE = 200;

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

  /** Exactly one of content (UTF-8 text) or contentBase64, at most maxBytes once decoded. */
  public static Content content(JsonBody body, long maxBytes) {
    boolean text = body.has("content");
    boolean base64 = body.has("contentBase64");
    if (text == base64) {
      throw new InvalidRequest("send exactly one of 'content' or 'contentBase64'");
    }
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
    return new Content(bytes, Sha256.hex(bytes), contentType(body));
  }

  private static String contentType(JsonBody body) {
    String given = body.optionalString("contentType").orElse(DEFAULT_CONTENT_TYPE);
    try {
      if (given.length() > 255) {
        throw new IllegalArgumentException();
      }
      MediaType.parse(given);
      return given;
    } catch (IllegalArgumentException e) {
      throw new InvalidRequest("'contentType' must be a valid media type");
    }
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

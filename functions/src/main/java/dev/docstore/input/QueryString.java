package dev.docstore.input;

import dev.docstore.api.InvalidRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a URL's query string ({@code name=value&...}, percent-encoded, {@code +} for
 * a space), each name with its values in order. Only the query string: a servlet container's
 * parameter map also holds the fields of a form body, which are no query parameters. Decoded as
 * strictly as a body: a broken {@code %} escape or escaped bytes that are not UTF-8 (an encoded
 * surrogate among them) are a 400.
 */
public final class QueryString {
  private static final String QUERY = "the query string";

  private QueryString() {}

  public static Map<String, List<String>> parse(String raw) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return parameters;
  }

  private static String decode(String part) {
    String octets;
    try {
      // ISO-8859-1 keeps each escaped octet as one char, so UTF-8 is then decoded strictly.
      octets = URLDecoder.decode(part, StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequest(QUERY + " is not percent-encoded");
    }
    return StrictText.utf8(octets.getBytes(StandardCharsets.ISO_8859_1), QUERY);
  }
}

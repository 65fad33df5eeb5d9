package dev.docstore.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.api.InvalidRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * JSON text as it must arrive: strict UTF-8, and every string, member names included, well-formed
 * ({@link StrictText}). Jackson alone decodes an overlong form ({@code C0 AF} as {@code /}), an
 * encoded surrogate or a code point past U+10FFFF into other text, guesses UTF-16 or UTF-32 from
 * zero bytes, and keeps a lone surrogate escape ({@code "\ud800"}) that then reaches Spanner as
 * {@code ?}. Here the bytes are decoded as UTF-8 before Jackson sees them, and the strings are
 * checked once parsed: anything else is a 400, never altered text.
 */
public final class StrictJson {
  private static final String BODY = "the body";

  private StrictJson() {}

  /** The JSON value of {@code utf8}; a 400 {@link InvalidRequest} for anything else. */
  public static JsonNode read(ObjectMapper json, byte[] utf8) {
    String text = StrictText.utf8(utf8, BODY);
    JsonNode tree;
    try {
      tree = json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidRequest("the body is not valid JSON");
    }
    if (tree != null) {
      requireWellFormedStrings(tree);
    }
    return tree;
  }

  private static void requireWellFormedStrings(JsonNode tree) {
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(tree);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isTextual()) {
        StrictText.wellFormed(node.textValue(), BODY);
      } else if (node.isObject()) {
        for (Map.Entry<String, JsonNode> member : node.properties()) {
          StrictText.wellFormed(member.getKey(), BODY);
          pending.push(member.getValue());
        }
      } else if (node.isArray()) {
        node.forEach(pending::push);
      }
    }
  }
}

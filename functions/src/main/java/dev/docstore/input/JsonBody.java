package dev.docstore.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docstore.api.InvalidRequest;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed JSON request body with strict, typed accessors. No coercion: a version sent as a
 * string, a title sent as a number or an unknown field is a 400, never a guess.
 */
public final class JsonBody {
  private final ObjectNode node;
  private final byte[] raw;
  /** Large fields whose SHA-256 their parser already computed, by field name. */
  private final Map<String, String> digests = new LinkedHashMap<>();

  private JsonBody(ObjectNode node, byte[] raw) {
    this.node = node;
    this.raw = raw;
  }

  /** A JSON object in strict UTF-8 ({@link StrictJson}), else a 400. */
  public static JsonBody parse(ObjectMapper json, byte[] raw) {
    JsonNode tree = StrictJson.read(json, raw);
    if (tree == null || !tree.isObject()) {
      throw new InvalidRequest("the body must be a JSON object");
    }
    return new JsonBody((ObjectNode) tree, raw);
  }

  /** The body exactly as received, for the idempotency fingerprint. */
  public byte[] raw() {
    return raw;
  }

  /**
   * Records that {@code field}'s value is large and has {@code sha256} (of its decoded bytes),
   * so that the idempotency fingerprint takes the digest instead of the value.
   */
  public void digested(String field, String sha256) {
    digests.put(field, sha256);
  }

  /** The fields recorded by {@link #digested}, with their digests, in the order recorded. */
  public Map<String, String> digests() {
    return Collections.unmodifiableMap(digests);
  }

  /** The body without the {@link #digested} fields: what the fingerprint canonicalises. */
  public ObjectNode smallFields() {
    ObjectNode small = node.objectNode();
    node.fields().forEachRemaining(field -> {
      if (!digests.containsKey(field.getKey())) {
        small.set(field.getKey(), field.getValue());
      }
    });
    return small;
  }

  public JsonBody allowOnly(Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new InvalidRequest("unknown field '" + printable(name) + "'");
      }
    }
    return this;
  }

  /** Whether the field is present. An explicit null is a wrong type, never "absent". */
  public boolean has(String field) {
    return present(field) != null;
  }

  private JsonNode present(String field) {
    JsonNode value = node.get(field);
    if (value != null && value.isNull()) {
      throw new InvalidRequest("'" + field + "' must not be null");
    }
    return value;
  }

  public String requiredString(String field) {
    return optionalString(field)
        .orElseThrow(() -> new InvalidRequest("'" + field + "' is required"));
  }

  public Optional<String> optionalString(String field) {
    JsonNode value = present(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new InvalidRequest("'" + field + "' must be a string");
    }
    return Optional.of(value.textValue());
  }

  public long requiredInteger(String field) {
    JsonNode value = present(field);
    if (value == null) {
      throw new InvalidRequest("'" + field + "' is required");
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new InvalidRequest("'" + field + "' must be an integer");
    }
    return value.longValue();
  }

  public Optional<Boolean> optionalBoolean(String field) {
    JsonNode value = present(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw new InvalidRequest("'" + field + "' must be a boolean");
    }
    return Optional.of(value.booleanValue());
  }

  private static String printable(String name) {
    String cut = name.length() > 40 ? name.substring(0, 40) : name;
    return cut.replaceAll("[^\\x20-\\x7E]", "?");
  }
}

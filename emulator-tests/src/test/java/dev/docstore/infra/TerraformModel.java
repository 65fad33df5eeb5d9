package dev.docstore.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resources and locals of a Terraform module, as hcl2json renders them, with just enough of
 * an evaluator to expand {@code for_each} and read back the values the consistency test checks.
 *
 * <p>Expressions it understands: literals, {@code each.key}, {@code each.value.F},
 * {@code local.N}, {@code each.value.F ? "A" : "B"}, {@code each.value.F == "X" ? [..] : []}
 * and a filtering for expression over a local map ({@code {for k, v in local.N : k => v if v.F}}).
 * Anything else raises {@link Unevaluable}, naming the expression, so the test fails with a clear
 * message instead of guessing.
 */
final class TerraformModel {
  /** One resource block: {@code resource "type" "name" { ... }}. */
  record Block(String type, String name, String file, JsonNode body) {
    String address() {
      return type + "." + name;
    }
  }

  /** One expanded instance of a block: each.key and each.value, both null without for_each. */
  record Instance(Block block, String key, JsonNode value) {
    String address() {
      return key == null ? block.address() : block.address() + "[\"" + key + "\"]";
    }
  }

  static final class Unevaluable extends RuntimeException {
    Unevaluable(String expression, String where) {
      super("cannot evaluate `" + expression + "` (" + where + "). TerraformConsistencyTest"
          + " understands literals, each.key, each.value.F, local.N, `each.value.F ? \"A\" :"
          + " \"B\"`, `each.value.F == \"X\" ? [..] : []` and `{for k, v in local.N : k => v if"
          + " v.F}`; keep the checked attributes in that form or teach the test more.");
    }
  }

  private static final Pattern WHOLE = Pattern.compile("^\\$\\{(.*)}$", Pattern.DOTALL);
  private static final Pattern EACH_VALUE = Pattern.compile("^each\\.value\\.(\\w+)$");
  private static final Pattern LOCAL = Pattern.compile("^local\\.(\\w+)$");
  private static final Pattern TERNARY_STRINGS =
      Pattern.compile("^each\\.value\\.(\\w+)\\s*\\?\\s*\"([^\"]*)\"\\s*:\\s*\"([^\"]*)\"$");
  private static final Pattern TERNARY_LIST_ON_EQUALS =
      Pattern.compile(
          "^each\\.value\\.(\\w+)\\s*==\\s*\"([^\"]*)\"\\s*\\?\\s*\\[[^\\]]+]\\s*:\\s*\\[\\s*]$");
  private static final Pattern FOR_FILTER =
      Pattern.compile(
          "^\\{\\s*for\\s+(\\w+)\\s*,\\s*(\\w+)\\s+in\\s+local\\.(\\w+)\\s*:\\s*\\1\\s*=>\\s*\\2"
              + "\\s+if\\s+(!?)\\s*\\2\\.(\\w+)\\s*}$");

  final List<Block> resources = new ArrayList<>();
  final Map<String, JsonNode> locals = new LinkedHashMap<>();
  /** Each input variable's default value; a variable without one is absent. */
  final Map<String, JsonNode> variableDefaults = new LinkedHashMap<>();

  /** @param parsed hcl2json output: one field per file. */
  TerraformModel(JsonNode parsed) {
    for (Iterator<Map.Entry<String, JsonNode>> files = parsed.fields(); files.hasNext(); ) {
      Map.Entry<String, JsonNode> file = files.next();
      for (JsonNode localsBlock : file.getValue().path("locals")) {
        localsBlock.fields().forEachRemaining(e -> locals.put(e.getKey(), e.getValue()));
      }
      file.getValue().path("variable").fields().forEachRemaining(variable -> {
        JsonNode value = variable.getValue().path(0).get("default");
        if (value != null) {
          variableDefaults.put(variable.getKey(), value);
        }
      });
      file.getValue().path("resource").fields().forEachRemaining(type ->
          type.getValue().fields().forEachRemaining(named -> {
            for (JsonNode body : named.getValue()) {
              resources.add(new Block(type.getKey(), named.getKey(), file.getKey(), body));
            }
          }));
    }
  }

  List<Block> resourcesOfType(String type) {
    return resources.stream().filter(b -> b.type.equals(type)).toList();
  }

  /** The instances of a block, expanding its for_each (a map or a list of strings). */
  List<Instance> instances(Block block) {
    JsonNode forEach = block.body.get("for_each");
    if (forEach == null) {
      return List.of(new Instance(block, null, null));
    }
    JsonNode collection = evaluate(forEach, null, block.address() + ".for_each");
    List<Instance> instances = new ArrayList<>();
    if (collection.isObject()) {
      collection.fields().forEachRemaining(e ->
          instances.add(new Instance(block, e.getKey(), e.getValue())));
    } else if (collection.isArray()) {
      collection.forEach(v -> instances.add(new Instance(block, v.asText(), v)));
    } else {
      throw new Unevaluable(forEach.asText(), block.address() + ".for_each is not a collection");
    }
    return instances;
  }

  /** The value of an attribute path (nested blocks are lists: their first element is taken). */
  static JsonNode attribute(JsonNode body, String... path) {
    JsonNode node = body;
    for (String step : path) {
      if (node == null) {
        return null;
      }
      node = node.isArray() ? node.path(0).get(step) : node.get(step);
    }
    return node;
  }

  /** True if the string is an expression, not a plain literal. */
  static boolean isExpression(JsonNode node) {
    return node != null && node.isTextual() && node.asText().contains("${");
  }

  /** Evaluates an attribute of an instance; a literal evaluates to itself. */
  JsonNode evaluate(JsonNode node, Instance each, String where) {
    if (node == null || !isExpression(node)) {
      return node;
    }
    Matcher whole = WHOLE.matcher(node.asText().strip());
    if (!whole.matches()) {
      throw new Unevaluable(node.asText(), where);
    }
    String expression = whole.group(1).strip();
    Matcher m;
    if (expression.equals("each.key") && each != null && each.key != null) {
      return TextNode.valueOf(each.key);
    }
    if ((m = EACH_VALUE.matcher(expression)).matches() && each != null && each.value != null) {
      return field(each.value, m.group(1), expression, where);
    }
    if ((m = LOCAL.matcher(expression)).matches()) {
      JsonNode local = locals.get(m.group(1));
      if (local == null) {
        throw new Unevaluable(expression, where + ": no such local");
      }
      return evaluate(local, each, "local." + m.group(1));
    }
    if ((m = TERNARY_STRINGS.matcher(expression)).matches() && each != null && each.value != null) {
      boolean condition = field(each.value, m.group(1), expression, where).asBoolean();
      return TextNode.valueOf(condition ? m.group(2) : m.group(3));
    }
    if ((m = TERNARY_LIST_ON_EQUALS.matcher(expression)).matches()
        && each != null && each.value != null) {
      boolean condition = field(each.value, m.group(1), expression, where).asText()
          .equals(m.group(2));
      // Only whether the list is empty matters to the callers (a dynamic block's for_each).
      return condition
          ? JsonNodeFactory.instance.arrayNode().add(BooleanNode.TRUE)
          : JsonNodeFactory.instance.arrayNode();
    }
    if ((m = FOR_FILTER.matcher(expression)).matches()) {
      String field = m.group(5);
      JsonNode source = evaluate(TextNode.valueOf("${local." + m.group(3) + "}"), each, where);
      boolean negate = !m.group(4).isEmpty();
      ObjectNode filtered = JsonNodeFactory.instance.objectNode();
      source.fields().forEachRemaining(e -> {
        boolean keep = field(e.getValue(), field, expression, where).asBoolean();
        if (keep != negate) {
          filtered.set(e.getKey(), e.getValue());
        }
      });
      return filtered;
    }
    throw new Unevaluable(expression, where);
  }

  private static JsonNode field(JsonNode object, String name, String expression, String where) {
    JsonNode value = object.get(name);
    if (value == null) {
      throw new Unevaluable(expression, where + ": the value has no field " + name);
    }
    return value;
  }
}

package dev.docstore.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.tools.NpmTool;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The google provider's schema as {@code @cdktf/provider-google} was generated from it: its jsii
 * assembly lists, for the provider, every resource and every data source, each argument by its
 * Terraform name, whether it is required, and the arguments of its nested blocks. The package
 * (about 300 MB) is installed once under {@code emulator-tests/target/provider-google}, and the
 * part read here is extracted once next to it.
 *
 * <p>{@link #problems} checks parsed Terraform ({@link Hcl2Json}) against it: every resource and
 * data source type of the provider exists, every argument written exists (in nested blocks too,
 * {@code dynamic} ones included), and every required argument is set.
 */
final class ProviderSchema {
  static final String PACKAGE = "@cdktf/provider-google";
  static final String VERSION = "16.12.1";
  /** Terraform's own arguments, valid in every resource and data block; not the provider's. */
  static final Set<String> META_ARGUMENTS =
      Set.of("count", "for_each", "depends_on", "lifecycle", "provider", "provisioner",
          "connection");
  /** Types from elsewhere than the google provider, and where they come from. */
  static final Map<String, String> OTHER_TYPES = Map.of(
      "resource terraform_data", "built into Terraform",
      "data archive_file", "the hashicorp/archive provider");

  private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(3);

  private final JsonNode schema;

  private ProviderSchema(JsonNode schema) {
    this.schema = schema;
  }

  static ProviderSchema load(Path home) throws Exception {
    NpmTool npm = new NpmTool(home, Map.of(PACKAGE, VERSION),
        "The check of the Terraform against the google provider's schema");
    Path packageDir = npm.packageDir(PACKAGE);
    byte[] extractor;
    try (InputStream in = ProviderSchema.class.getResourceAsStream("provider-schema.js")) {
      extractor = in.readAllBytes();
    }
    // Extracted once per package version and extractor: a changed script extracts again.
    Path extracted = home.resolve("google-schema-" + VERSION + "-"
        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(extractor))
            .substring(0, 12) + ".json");
    if (!Files.isRegularFile(extracted)) {
      Path script = home.resolve("provider-schema.js");
      Files.write(script, extractor);
      Path partial = home.resolve(extracted.getFileName() + ".partial");
      NpmTool.Result result = npm.run(
          List.of("node", script.toString(), packageDir.toString(), partial.toString()), home,
          EXTRACT_TIMEOUT, Map.of());
      if (result.exit() != 0) {
        throw new IllegalStateException("reading the schema out of " + PACKAGE + " failed (exit "
            + result.exit() + "):\n" + NpmTool.tail(result.output()));
      }
      Files.move(partial, extracted);
    }
    return new ProviderSchema(new ObjectMapper().readTree(extracted.toFile()));
  }

  /** The provider version the package was generated from, e.g. {@code 6.50.0}. */
  String providerVersion() {
    return schema.path("providerVersion").asText();
  }

  /** The provider versions its documentation links name: the schema's own version. */
  List<String> schemaVersions() {
    List<String> out = new ArrayList<>();
    schema.path("schemaVersions").forEach(v -> out.add(v.asText()));
    return out;
  }

  /** Every place where parsed Terraform ({@link Hcl2Json}'s output) departs from the schema. */
  List<String> problems(JsonNode parsedFiles) {
    List<String> out = new ArrayList<>();
    parsedFiles.fields().forEachRemaining(file -> {
      String where = Path.of(file.getKey()).getFileName().toString();
      checkBlocks(file.getValue().path("resource"), "resource", schema.path("resources"), where,
          out);
      checkBlocks(file.getValue().path("data"), "data", schema.path("dataSources"), where, out);
      JsonNode provider = file.getValue().path("provider").path("google");
      for (JsonNode body : provider) {
        checkBody(body, schema.path("provider"), where + ": provider \"google\"", out);
      }
    });
    return out;
  }

  private void checkBlocks(JsonNode byType, String kind, JsonNode known, String where,
      List<String> out) {
    byType.fields().forEachRemaining(type -> {
      JsonNode typeSchema = known.path(type.getKey());
      boolean google = type.getKey().startsWith("google_");
      if (!google && OTHER_TYPES.containsKey(kind + " " + type.getKey())) {
        return;
      }
      type.getValue().fields().forEachRemaining(named -> {
        String address = where + ": " + kind + " " + type.getKey() + "." + named.getKey();
        if (typeSchema.isMissingNode()) {
          out.add(address + ": the google provider " + providerVersion() + " has no "
              + (kind.equals("data") ? "data source " : "resource type ") + type.getKey());
          return;
        }
        for (JsonNode body : named.getValue()) {
          checkBody(body, typeSchema, address, out);
        }
      });
    });
  }

  /** One block's body against its schema: every argument known, every required one set. */
  private void checkBody(JsonNode body, JsonNode arguments, String address, List<String> out) {
    List<String> written = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (META_ARGUMENTS.contains(name)) {
        continue;
      }
      if (name.equals("dynamic")) {
        field.getValue().fields().forEachRemaining(dynamic -> {
          written.add(dynamic.getKey());
          JsonNode argument = known(arguments, dynamic.getKey(), address, out);
          if (argument != null) {
            for (JsonNode generator : dynamic.getValue()) {
              for (JsonNode content : generator.path("content")) {
                checkNested(content, argument, address + "." + dynamic.getKey(), out);
              }
            }
          }
        });
        continue;
      }
      written.add(name);
      JsonNode argument = known(arguments, name, address, out);
      if (argument != null && field.getValue().isArray()) {
        for (JsonNode nested : field.getValue()) {
          if (nested.isObject()) {
            checkNested(nested, argument, address + "." + name, out);
          }
        }
      }
    }
    arguments.fields().forEachRemaining(argument -> {
      if (argument.getValue().path("required").asBoolean() && !written.contains(argument.getKey())) {
        out.add(address + ": the required argument " + argument.getKey() + " is not set");
      }
    });
  }

  private void checkNested(JsonNode body, JsonNode argument, String address, List<String> out) {
    if (argument.has("block")) {
      checkBody(body, argument.get("block"), address, out);
    }
  }

  private JsonNode known(JsonNode arguments, String name, String address, List<String> out) {
    JsonNode argument = arguments.get(name);
    if (argument == null) {
      out.add(address + ": the google provider " + providerVersion() + " has no argument "
          + name + " here");
    }
    return argument;
  }
}

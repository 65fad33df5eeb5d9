package dev.docstore.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.local.ProjectFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code terraform validate} needs the provider, which cannot be fetched here; this checks the
 * same things against the provider's schema as {@code @cdktf/provider-google} records it
 * ({@link ProviderSchema}): every resource and data source type and every argument written in
 * {@code infra/terraform/*.tf} exists, nested blocks included, every required argument is set,
 * and {@code versions.tf} pins exactly the provider version the schema is of.
 */
class TerraformProviderSchemaTest {
  private static Path root;
  private static Hcl2Json hcl;
  private static ProviderSchema schema;
  private static List<Path> files;

  @BeforeAll
  static void load() throws Exception {
    root = ProjectFiles.root();
    hcl = new Hcl2Json(root.resolve("emulator-tests/target/hcl2json"));
    schema = ProviderSchema.load(root.resolve("emulator-tests/target/provider-google"));
    try (Stream<Path> list = Files.list(root.resolve("infra/terraform"))) {
      files = list.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
    }
    assertFalse(files.isEmpty());
  }

  @Test
  void everyTypeAndArgumentExistsAndEveryRequiredArgumentIsSet() throws Exception {
    assertEquals(List.of(), schema.problems(hcl.parse(files)));
  }

  @Test
  void versionsTfPinsTheProviderVersionTheSchemaIsOf() throws Exception {
    assertEquals(List.of(schema.providerVersion()), schema.schemaVersions());
    JsonNode parsed = hcl.parse(List.of(root.resolve("infra/terraform/versions.tf")));
    JsonNode google = parsed.elements().next().path("terraform").path(0)
        .path("required_providers").path(0).path("google");
    assertEquals("hashicorp/google", google.path("source").asText(), google.toString());
    assertEquals(schema.providerVersion(), google.path("version").asText(),
        "versions.tf must pin the google provider to the version its schema is checked against");
  }

  @Test
  void aMisspeltArgumentFails(@TempDir Path dir) throws Exception {
    List<String> problems = plant(dir, "storage.tf", "  uniform_bucket_level_access = true",
        "  uniform_bucket_level_acess = true");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("google_storage_bucket.")
        && problems.get(0).contains("no argument uniform_bucket_level_acess"), problems.toString());
  }

  @Test
  void aMisspeltArgumentInANestedBlockFails(@TempDir Path dir) throws Exception {
    List<String> problems =
        plant(dir, "functions.tf", "    entry_point       =", "    entrypoint        =");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains(".build_config: the google provider")
        && problems.get(0).contains("no argument entrypoint"), problems.toString());
  }

  @Test
  void aMissingRequiredArgumentFails(@TempDir Path dir) throws Exception {
    List<String> problems = plant(dir, "spanner.tf", "\n  instance ", "\n  # instance ");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("google_spanner_database.")
        && problems.get(0).contains("required argument instance is not set"), problems.toString());
  }

  @Test
  void anUnknownResourceTypeFails(@TempDir Path dir) throws Exception {
    List<String> problems = plant(dir, "pubsub.tf", "resource \"google_pubsub_topic\"",
        "resource \"google_pubsub_topics\"");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("has no resource type google_pubsub_topics"),
        problems.toString());
  }

  /** The problems of a copy of one .tf file whose first {@code from} is replaced by {@code to}. */
  private static List<String> plant(Path dir, String file, String from, String to)
      throws Exception {
    String source = Files.readString(root.resolve("infra/terraform").resolve(file),
        StandardCharsets.UTF_8);
    assertTrue(source.contains(from), file + " no longer contains " + from);
    Path copy = dir.resolve(file);
    int at = source.indexOf(from);
    Files.writeString(copy, source.substring(0, at) + to + source.substring(at + from.length()),
        StandardCharsets.UTF_8);
    return schema.problems(hcl.parse(List.of(copy)));
  }
}

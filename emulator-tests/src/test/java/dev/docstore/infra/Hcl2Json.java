package dev.docstore.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docstore.tools.NpmTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses Terraform files with a real HCL parser: HashiCorp's hcl2json (the Go HCL library,
 * compiled to WebAssembly) from the npm package {@code @cdktf/hcl2json}, run by Node.
 *
 * <p>The package is installed on first use under {@code emulator-tests/target/hcl2json} and
 * reused afterwards ({@link NpmTool}).
 */
final class Hcl2Json {
  static final String PACKAGE = "@cdktf/hcl2json";
  static final String VERSION = "0.21.0";
  private static final Duration PARSE_TIMEOUT = Duration.ofSeconds(60);

  /** parse(filename, contents) of the package, one JSON object of results keyed by file. */
  private static final String SCRIPT =
      String.join(
          "\n",
          "'use strict';",
          "const { parse } = require('" + PACKAGE + "');",
          "const fs = require('fs');",
          "(async () => {",
          "  const out = {};",
          "  for (const file of process.argv.slice(2)) {",
          "    out[file] = await parse(file, fs.readFileSync(file, 'utf8'));",
          "  }",
          "  process.stdout.write(JSON.stringify(out));",
          "})().catch((e) => {",
          "  process.stderr.write(String((e && e.message) || e) + '\\n');",
          "  process.exit(2);",
          "});",
          "");

  private final NpmTool npm;

  Hcl2Json(Path home) {
    this.npm = new NpmTool(home, Map.of(PACKAGE, VERSION), "The Terraform consistency check");
  }

  /** The parsed files: one field per file (its absolute path), each hcl2json's JSON of it. */
  JsonNode parse(List<Path> files) throws IOException, InterruptedException {
    npm.install();
    Path script = npm.home().resolve("parse.js");
    Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of("node", script.toString()));
    files.forEach(f -> command.add(f.toAbsolutePath().toString()));
    NpmTool.Result result = npm.run(command, npm.home(), PARSE_TIMEOUT, Map.of());
    if (result.exit() != 0) {
      throw new IllegalStateException(
          "hcl2json could not parse the Terraform files (exit " + result.exit() + "):\n"
              + result.stderr().strip());
    }
    return new ObjectMapper().readTree(result.stdout());
  }
}

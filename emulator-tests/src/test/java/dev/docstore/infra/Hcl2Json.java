package dev.docstore.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Parses Terraform files with a real HCL parser: HashiCorp's hcl2json (the Go HCL library,
 * compiled to WebAssembly) from the npm package {@code @cdktf/hcl2json}, run by Node.
 *
 * <p>The package is installed on first use under {@code emulator-tests/target/hcl2json} and
 * reused afterwards. There is no fallback: without node, npm or the npm registry the check
 * cannot run, and says so with an {@link IllegalStateException} rather than skipping.
 */
final class Hcl2Json {
  static final String PACKAGE = "@cdktf/hcl2json";
  static final String VERSION = "0.21.0";
  private static final long INSTALL_TIMEOUT_SECONDS = 300;
  private static final long PARSE_TIMEOUT_SECONDS = 60;

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

  private final Path home;

  Hcl2Json(Path home) {
    this.home = home;
  }

  /** The parsed files: one field per file (its absolute path), each hcl2json's JSON of it. */
  JsonNode parse(List<Path> files) throws IOException, InterruptedException {
    install();
    Path script = home.resolve("parse.js");
    Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of("node", script.toString()));
    files.forEach(f -> command.add(f.toAbsolutePath().toString()));
    Result result = run(command, PARSE_TIMEOUT_SECONDS, "node (Node.js)");
    if (result.exit != 0) {
      throw new IllegalStateException(
          "hcl2json could not parse the Terraform files (exit " + result.exit + "):\n"
              + result.stderr.strip());
    }
    return new ObjectMapper().readTree(result.stdout);
  }

  private void install() throws IOException, InterruptedException {
    Path installed = home.resolve("node_modules").resolve(PACKAGE).resolve("package.json");
    if (Files.isRegularFile(installed)
        && VERSION.equals(new ObjectMapper().readTree(installed.toFile()).path("version").asText())) {
      return;
    }
    Files.createDirectories(home);
    List<String> command =
        List.of(
            "npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", home.toString(),
            PACKAGE + "@" + VERSION);
    Result result = run(command, INSTALL_TIMEOUT_SECONDS, "npm");
    if (result.exit != 0 || !Files.isRegularFile(installed)) {
      throw new IllegalStateException(
          "`" + String.join(" ", command) + "` failed (exit " + result.exit + "). The Terraform"
              + " consistency check needs the npm registry to install its HCL parser once (it is"
              + " then cached in " + home + "). npm said:\n" + tail(result.stdout + result.stderr));
    }
  }

  private record Result(int exit, String stdout, String stderr) {}

  private Result run(List<String> command, long timeoutSeconds, String tool)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("hcl2json", ".out");
    Path err = Files.createTempFile("hcl2json", ".err");
    try {
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot run " + tool + " (" + e.getMessage() + "): the Terraform consistency check"
                + " needs Node.js and npm on the PATH to parse HCL with " + PACKAGE, e);
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "`" + String.join(" ", command) + "` did not finish in " + timeoutSeconds + " s");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String tail(String text) {
    String t = text.strip();
    return t.length() <= 4000 ? t : "..." + t.substring(t.length() - 4000);
  }
}

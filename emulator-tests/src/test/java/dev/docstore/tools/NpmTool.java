package dev.docstore.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * npm packages at pinned versions, installed by the build on first use into one cache directory
 * under {@code target/} ({@code npm install --prefix}) and reused afterwards, then run with Node.
 *
 * <p>There is no fallback: without node, npm or the npm registry a check that needs a package
 * cannot run, and says so with an {@link IllegalStateException} rather than skipping.
 */
public final class NpmTool {
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final Map<String, String> packages;
  private final String purpose;

  /**
   * @param home the cache directory; one set of packages per directory, since a later {@code npm
   *     install --no-save} into the same prefix would prune the packages it was not given
   * @param packages package name to its exact version
   * @param purpose what needs them, for the message when they cannot be had
   */
  public NpmTool(Path home, Map<String, String> packages, String purpose) {
    this.home = home.toAbsolutePath();
    this.packages = new LinkedHashMap<>(packages);
    this.purpose = purpose;
  }

  public Path home() {
    return home;
  }

  /** The installed package's directory, installing the packages first when needed. */
  public Path packageDir(String name) throws IOException, InterruptedException {
    install();
    return home.resolve("node_modules").resolve(name);
  }

  /** A command the packages put in {@code node_modules/.bin}, installing them when needed. */
  public Path bin(String command) throws IOException, InterruptedException {
    install();
    return home.resolve("node_modules").resolve(".bin").resolve(command);
  }

  /** Installs every package whose installed version is not the pinned one; a no-op otherwise. */
  public synchronized void install() throws IOException, InterruptedException {
    if (packages.entrySet().stream().allMatch(p -> installed(p.getKey(), p.getValue()))) {
      return;
    }
    Files.createDirectories(home);
    List<String> command =
        new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save",
            "--prefix", home.toString()));
    packages.forEach((name, version) -> command.add(name + "@" + version));
    Result result = run(command, home, INSTALL_TIMEOUT, Map.of());
    if (result.exit() != 0
        || !packages.entrySet().stream().allMatch(p -> installed(p.getKey(), p.getValue()))) {
      throw new IllegalStateException(
          "`" + String.join(" ", command) + "` failed (exit " + result.exit() + "). " + purpose
              + " needs the npm registry to install these packages once (they are then cached in "
              + home + "). npm said:\n" + tail(result.stdout() + result.stderr()));
    }
  }

  private boolean installed(String name, String version) {
    Path manifest = home.resolve("node_modules").resolve(name).resolve("package.json");
    try {
      return Files.isRegularFile(manifest)
          && version.equals(JSON.readTree(manifest.toFile()).path("version").asText());
    } catch (IOException e) {
      return false;
    }
  }

  /** What a finished command printed, and its exit status. */
  public record Result(int exit, String stdout, String stderr) {
    public String output() {
      return (stdout + "\n" + stderr).strip();
    }
  }

  /** Runs a command in {@code directory} to its end, or fails after {@code timeout}. */
  public Result run(List<String> command, Path directory, Duration timeout,
      Map<String, String> environment) throws IOException, InterruptedException {
    Path out = Files.createTempFile("npm-tool", ".out");
    Path err = Files.createTempFile("npm-tool", ".err");
    try {
      Process process;
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot run " + command.get(0) + " (" + e.getMessage() + "): " + purpose
                + " needs Node.js and npm on the PATH", e);
      }
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(
            "`" + String.join(" ", command) + "` did not finish in " + timeout.toSeconds() + " s");
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

  /** Starts a long-running command (a server); the caller stops it. */
  public Process start(List<String> command, Path directory, File log)
      throws IOException, InterruptedException {
    install();
    return new ProcessBuilder(command)
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }

  public static String tail(String text) {
    String t = text.strip();
    return t.length() <= 4000 ? t : "..." + t.substring(t.length() - 4000);
  }
}

package dev.docstore.client;

import dev.docstore.local.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An npm package of the repository, installed and run by the build: {@code npm ci} from its
 * checked-in package-lock.json (only when node_modules is missing or older than the lock), then
 * its scripts. Each run's output goes to a log under emulator-tests/target/logs and to stdout (the
 * test's Surefire output); a non-zero exit fails with the output's end. Without node, npm or the
 * npm registry nothing can run, and the failure says so: there is no skipping.
 */
final class NpmPackage {
  private static final long INSTALL_TIMEOUT_SECONDS = 300;
  private static final long RUN_TIMEOUT_SECONDS = 300;

  private final Path directory;

  NpmPackage(Path directory) {
    this.directory = directory;
  }

  Path directory() {
    return directory;
  }

  /** {@code npm ci}, unless node_modules was installed from the current lock already. */
  void install() throws IOException, InterruptedException {
    Path installed = directory.resolve("node_modules/.package-lock.json");
    Path lock = directory.resolve("package-lock.json");
    if (Files.isRegularFile(installed)
        && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) > 0) {
      return;
    }
    run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), INSTALL_TIMEOUT_SECONDS);
  }

  /** {@code npm run {script}} with {@code env} added to this JVM's environment; its output. */
  String script(String script, Map<String, String> env) throws IOException, InterruptedException {
    return run(List.of("npm", "run", "--silent", script), env, RUN_TIMEOUT_SECONDS);
  }

  private String run(List<String> command, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    // Named for what runs: "npm-ci", "npm-test-flaky", ...
    String name = command.get(1).equals("run") ? command.get(command.size() - 1) : command.get(1);
    Path log = ProjectFiles.newLog("npm-" + name.replace(':', '-'));
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run npm (" + e.getMessage() + "): the TypeScript"
          + " client's tests need Node.js 20+ and npm on the PATH", e);
    }
    boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println("$ " + String.join(" ", command) + "  (in " + directory + ", log " + log
        + ")\n" + output);
    if (!done) {
      throw new AssertionError("`" + String.join(" ", command) + "` did not finish in "
          + timeoutSeconds + " s:\n" + tail(output));
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("`" + String.join(" ", command) + "` failed (exit "
          + process.exitValue() + "):\n" + tail(output));
    }
    return output;
  }

  private static String tail(String text) {
    String t = text.strip();
    return t.length() <= 6000 ? t : "..." + t.substring(t.length() - 6000);
  }

  /** What follows {@code marker} on the lines of {@code output} that have it. */
  static List<String> after(String output, String marker) {
    List<String> found = new ArrayList<>();
    output.lines().filter(l -> l.contains(marker))
        .forEach(l -> found.add(l.substring(l.indexOf(marker) + marker.length()).strip()));
    return found;
  }
}

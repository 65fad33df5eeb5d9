package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.local.LocalStack;
import dev.docstore.local.ProjectFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first hour: every shell command of README.md, in its fenced {@code sh} blocks and its inline
 * {@code curl} spans, runs exactly as written, each block as one bash script ({@code -e}, so that a
 * failing line fails its block), in a private network namespace ({@code unshare -n}) so that the
 * README's own {@code localhost:8080} is free whatever else runs on the machine. {@code
 * ./run-local} is started as written, in the background, with no emulator given; the blocks run
 * once its banner is out; then it gets Ctrl-C's signal (SIGINT to its process group) and must
 * leave nothing listening. A block fails when bash does, or when an answer is a problem document
 * (a 4xx or 5xx), as the README's first example was with its Unicode ellipsis in the key.
 *
 * <p>Not run, each for its reason below, but checked to parse with {@code bash -n}: the sections
 * in {@link #NOT_RUN_SECTIONS} and the commands in {@link #NOT_RUN_COMMANDS}. Any other command
 * the README gains is run.
 */
class ReadmeCommandsTest {
  static final Map<String, String> NOT_RUN_SECTIONS = Map.of(
      "Benchmark", "each run takes minutes; the benchmark's figures are its own",
      "Deploying", "it deploys to a Google Cloud project, with its credentials");
  static final Map<String, String> NOT_RUN_COMMANDS = Map.of(
      "mvn -B verify", "it is the build that runs this test");
  static final String RUN_LOCAL = "./run-local";
  /** A docstore problem document: a JSON object whose status is 4xx or 5xx. */
  private static final Pattern PROBLEM = Pattern.compile("\"status\"\\s*:\\s*[45][0-9][0-9]\\b");
  private static final Pattern FENCE =
      Pattern.compile("(?m)^```(sh|bash|shell)\\n(.*?)^```$", Pattern.DOTALL);
  private static final Pattern INLINE_CURL = Pattern.compile("(?<!`)`(curl [^`]+)`(?!`)");
  /** Starting emulators and, after a change, building: well within this on a loaded machine. */
  private static final long START_SECONDS = 900;
  private static final long RUN_SECONDS = 1200;

  /** One command of the README: its section, its block and its text with continuations. */
  record Command(String section, int block, String text) {
    /** The command without a trailing {@code # comment}, as bash reads it. */
    String bare() {
      return text.replaceFirst("\\s+#[^'\"]*$", "").strip();
    }
  }

  @Test
  void everyReadmeCommandRunsAsWritten(@TempDir Path dir) throws Exception {
    Path root = ProjectFiles.root();
    List<Command> commands = commands(Files.readString(root.resolve("README.md")));
    assertTrue(commands.stream().anyMatch(c -> c.bare().equals(RUN_LOCAL)),
        "the README no longer says to start " + RUN_LOCAL);
    for (String section : NOT_RUN_SECTIONS.keySet()) {
      assertTrue(commands.stream().anyMatch(c -> c.section().equals(section)),
          "NOT_RUN_SECTIONS names " + section + ", which has no command any more");
    }
    for (String command : NOT_RUN_COMMANDS.keySet()) {
      assertTrue(commands.stream().anyMatch(c -> c.bare().equals(command)),
          "NOT_RUN_COMMANDS names `" + command + "`, which the README no longer has");
    }

    // The blocks to run, in README order, each without the commands not run.
    Map<Integer, List<String>> blocks = new LinkedHashMap<>();
    Command runLocal = null;
    List<String> problems = new ArrayList<>();
    for (Command c : commands) {
      if (NOT_RUN_SECTIONS.containsKey(c.section()) || NOT_RUN_COMMANDS.containsKey(c.bare())) {
        String syntax = bashSyntax(dir, c.text());
        if (!syntax.isEmpty()) {
          problems.add("`" + c.text() + "` does not parse: " + syntax);
        }
      } else if (c.bare().equals(RUN_LOCAL)) {
        runLocal = c;
      } else {
        blocks.computeIfAbsent(c.block(), b -> new ArrayList<>()).add(c.text());
      }
    }
    assertEquals(List.of(), problems);
    assertFalse(blocks.isEmpty(), "the README has no example to run");

    Files.writeString(dir.resolve("run-local.sh"), runLocal.text() + "\n");
    List<Integer> order = new ArrayList<>(blocks.keySet());
    for (int i = 0; i < order.size(); i++) {
      Files.writeString(dir.resolve("block-" + i + ".sh"),
          String.join("\n", blocks.get(order.get(i))) + "\n");
    }
    Path driver = dir.resolve("driver.sh");
    Files.writeString(driver, driver(root, dir, order.size()), StandardCharsets.UTF_8);

    boolean isolated = isolated();
    ProcessBuilder builder = new ProcessBuilder(isolated
        ? List.of("unshare", "--net", "bash", driver.toString())
        : List.of("bash", driver.toString()))
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("driver.log").toFile());
    // The README's ./run-local starts its own emulators: none is given, as on a fresh machine.
    for (String variable : List.of("SPANNER_EMULATOR_HOST", "PUBSUB_EMULATOR_HOST",
        "STORAGE_EMULATOR_HOST", "PORT", "LOCAL_STORAGE_DIR")) {
      builder.environment().remove(variable);
    }
    Process process = builder.start();
    if (!process.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String log = read(dir.resolve("driver.log"));
    String stderr = read(dir.resolve("run-local.err"));
    assertTrue(stderr.contains(LocalStack.STOP_LINE),
        "`" + runLocal.text() + "` did not start:\n" + tail(stderr) + "\n" + tail(log));

    for (int i = 0; i < order.size(); i++) {
      String script = read(dir.resolve("block-" + i + ".sh"));
      String rc = read(dir.resolve("block-" + i + ".rc")).strip();
      String out = read(dir.resolve("block-" + i + ".out"));
      String err = read(dir.resolve("block-" + i + ".err"));
      if (!rc.equals("0")) {
        problems.add("exit " + rc + ":\n" + script + "said:\n" + tail(out + err));
      } else if (out.isBlank()) {
        problems.add("no answer:\n" + script);
      } else if (PROBLEM.matcher(out).find()) {
        problems.add("an error answer:\n" + script + "answered:\n" + tail(out));
      }
    }
    assertEquals(List.of(), problems);
    // 130: the JVM ran its shutdown hooks on SIGINT and exited as a Ctrl-C'd process does.
    assertTrue(log.contains("stopped: exit 130"), "./run-local did not stop on Ctrl-C's signal:\n"
        + tail(log) + "\n" + tail(stderr));
    if (isolated) {
      // In its own network namespace, any socket still listening is something it left running.
      assertTrue(log.contains("listening after the stop: none"), tail(log));
    }
  }

  /** Every command of the README's shell blocks, and its inline curls, each one a block. */
  static List<Command> commands(String readme) {
    List<Command> out = new ArrayList<>();
    int block = 0;
    String section = "";
    int at = 0;
    Matcher fence = FENCE.matcher(readme);
    Pattern heading = Pattern.compile("(?m)^##+ (.+)$");
    while (at < readme.length()) {
      boolean hasFence = fence.find(at);
      int end = hasFence ? fence.start() : readme.length();
      String prose = readme.substring(at, end);
      Matcher h = heading.matcher(prose);
      int proseAt = 0;
      while (true) {
        boolean hasHeading = h.find(proseAt);
        String chunk = prose.substring(proseAt, hasHeading ? h.start() : prose.length());
        Matcher inline = INLINE_CURL.matcher(chunk);
        while (inline.find()) {
          out.add(new Command(section, block++, inline.group(1)));
        }
        if (!hasHeading) {
          break;
        }
        section = h.group(1).strip();
        proseAt = h.end();
      }
      if (!hasFence) {
        break;
      }
      for (String line : fence.group(2).replace("\\\n", "\u0000").split("\n")) {
        String text = line.replace("\u0000", "\\\n").strip();
        if (!text.isEmpty() && !text.startsWith("#")) {
          out.add(new Command(section, block, text));
        }
      }
      block++;
      at = fence.end();
    }
    return out;
  }

  /**
   * The script that starts {@code ./run-local} as written, waits for its banner, runs each block,
   * then sends SIGINT to its process group, as a terminal's Ctrl-C does (job control gives it a
   * group of its own), and looks for anything still listening.
   */
  private static String driver(Path root, Path dir, int blocks) {
    String d = dir.toString();
    return String.join("\n",
        "set -m",
        "ip link set lo up 2>/dev/null || true",
        "cd '" + root + "'",
        "bash '" + d + "/run-local.sh' > '" + d + "/run-local.out' 2> '" + d + "/run-local.err' &",
        "pid=$!",
        "for i in $(seq 1 " + START_SECONDS * 5 + "); do",
        "  grep -qF '" + LocalStack.STOP_LINE + "' '" + d + "/run-local.err' && break",
        "  kill -0 $pid 2>/dev/null || break",
        "  sleep 0.2",
        "done",
        "for i in $(seq 0 " + (blocks - 1) + "); do",
        "  bash -e '" + d + "/block-'$i'.sh' > '" + d + "/block-'$i'.out' 2> '" + d
            + "/block-'$i'.err'",
        "  echo $? > '" + d + "/block-'$i'.rc'",
        "done",
        "kill -INT -- -$pid 2>/dev/null",
        "wait $pid",
        "echo \"stopped: exit $?\"",
        "for i in $(seq 1 100); do",
        "  listening=$(ss -Hltn 2>/dev/null)",
        "  [ -z \"$listening\" ] && break",
        "  sleep 0.2",
        "done",
        "echo \"listening after the stop: ${listening:-none}\"",
        "");
  }

  /**
   * Whether a private network namespace can be had; without one, the README's port must be free.
   */
  private static boolean isolated() throws IOException, InterruptedException {
    Process probe = new ProcessBuilder("unshare", "--net", "true").redirectErrorStream(true)
        .start();
    probe.getInputStream().readAllBytes();
    if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
      return true;
    }
    try (ServerSocket socket = new ServerSocket(8080)) {
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("the README's examples use localhost:8080, which is taken,"
          + " and no private network namespace can be had (unshare --net) to run them in", e);
    }
  }

  /** What {@code bash -n} says of a command: empty when it parses. */
  private static String bashSyntax(Path dir, String command)
      throws IOException, InterruptedException {
    Path file = Files.createTempFile(dir, "syntax", ".sh");
    Files.writeString(file, command + "\n");
    Process bash = new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true)
        .start();
    String said = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return bash.waitFor() == 0 ? "" : said.strip();
  }

  private static String read(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private static String tail(String text) {
    String t = text.strip();
    return t.length() <= 3000 ? t : "..." + t.substring(t.length() - 3000);
  }
}

package dev.docstore.it;

import static dev.docstore.api.Operation.ANALYTICS_SUBSCRIBER;
import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Step.BEFORE_COMMIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import dev.docstore.local.AnalyticsBridge;
import dev.docstore.local.Emulators;
import dev.docstore.local.LocalStack;
import dev.docstore.local.LocalStorage;
import dev.docstore.local.ProjectFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Everything the local stack prints, read from a child JVM started the way {@code ./run-local}
 * starts it (its main, {@code emulator-tests/target/classes} plus the runtime class path, on the
 * emulators this JVM already runs), through a run with a failpoint's 503, a poison analytics
 * message, a body that is not a CloudEvent and a write that is counted: stdout holds only JSON log
 * lines, every stack trace inside one, and stderr only the human banner.
 */
class LocalStackOutputTest {
  private static final String BANNER_END = LocalStack.STOP_LINE;
  /** What a log line or a stack trace looks like when it is not JSON (JUL, printStackTrace). */
  private static final Pattern LOOSE_LOG = Pattern.compile(
      "^(\\s+at |\\s*Caused by: |\\s*\\.\\.\\. \\d+ more|[\\w.$]+(Exception|Error)\\b"
          + "|(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): "
          + "|[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d|\\{)");

  private static Emulators emulators;

  @RegisterExtension
  static final BeforeAllCallback EMULATORS = context -> emulators = SharedEmulators.get(context);

  @Test
  void theLocalStackPrintsOnlyJsonLinesOnStdoutAndOnlyItsBannerOnStderr() throws Exception {
    String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
    String topic = "events-output-" + suffix;
    int port = freePort();
    Process process = startLocalStack(Map.of(
        "PORT", Integer.toString(port),
        "SPANNER_DATABASE", "db-output-" + suffix,
        "ANALYTICS_TOPIC", topic,
        "FAILPOINTS_ENABLED", "true",
        "FAILPOINTS", CREATE_DOCUMENT.failpoint(BEFORE_COMMIT).name() + "=1*error"));
    Lines stdout = Lines.of(process.getInputStream());
    Lines stderr = Lines.of(process.getErrorStream());
    List<String> answers = new ArrayList<>();
    try {
      waitFor(() -> stdout.hasLineStarting(BANNER_END) || stderr.hasLineStarting(BANNER_END), 120,
          "the banner", stdout, stderr, process);
      String base = "http://127.0.0.1:" + port;
      Api api = new Api(base);
      // A failure that is not a 500: the armed failpoint answers 503 once.
      answers.add("failpoint " + api.post(CREATE_DOCUMENT).tenant("out")
          .json(Map.of("title", "t", "content", "c")).send().status());
      // A write that is published and counted through the local analytics bridge.
      answers.add("write " + api.post(CREATE_DOCUMENT).tenant("out")
          .json(Map.of("title", "t", "content", "c")).send().status());
      waitFor(() -> stdout.json().stream()
              .anyMatch(l -> l.path("message").asText().equals("USAGE counted")), 60,
          "the write to be counted", stdout, stderr, process);

      HttpClient http = HttpClient.newHttpClient();
      AnalyticsBridge eventarc = new AnalyticsBridge(null, "docstore-local", topic,
          topic + "-local", base);
      // A poison message: an event whose eventId is 100 KB.
      String eventJson = "{\"eventId\":\"" + "e".repeat(100_000) + "\",\"type\":"
          + "\"document.created\",\"tenantId\":\"out\",\"documentId\":\"" + UUID.randomUUID()
          + "\",\"version\":1,\"requestId\":\"r\",\"occurredAt\":\"2026-12-01T00:00:00Z\"}";
      answers.add("poison " + http.send(eventarc.cloudEvent(PubsubMessage.newBuilder()
              .setMessageId("poison-" + suffix).setData(ByteString.copyFromUtf8(eventJson))
              .build()), HttpResponse.BodyHandlers.discarding()).statusCode());
      // A body that is not a CloudEvent at all: the functions framework answers it itself.
      answers.add("not a CloudEvent " + http.send(HttpRequest.newBuilder(
              URI.create(base + "/" + ANALYTICS_SUBSCRIBER.functionName()))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("not a CloudEvent")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
      // The framework logs the failure it answered; give the line time to arrive.
      await(() -> stdout.json().stream().anyMatch(l -> l.hasNonNull("stack_trace"))
          || stderr.lines().stream().anyMatch(l -> l.startsWith("\tat ")), 30);
    } finally {
      process.destroy(); // SIGTERM, as Ctrl-C: the shutdown hook stops everything
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      stdout.join();
      stderr.join();
    }

    List<String> notJson = stdout.lines().stream().filter(Predicate.not(Lines::isJsonLog))
        .toList();
    List<String> looseOnStderr = stderr.lines().stream()
        .filter(l -> LOOSE_LOG.matcher(l).find()).toList();
    List<String> escapes = new ArrayList<>();
    stdout.lines().stream().filter(l -> l.indexOf('\u001b') >= 0).forEach(escapes::add);
    stderr.lines().stream().filter(l -> l.indexOf('\u001b') >= 0).forEach(escapes::add);
    List<String> problems = new ArrayList<>();
    if (!notJson.isEmpty()) {
      problems.add(notJson.size() + " of " + stdout.lines().size()
          + " stdout lines are not JSON log lines, e.g.:\n    "
          + String.join("\n    ", notJson.subList(0, Math.min(15, notJson.size()))));
    }
    if (!looseOnStderr.isEmpty()) {
      problems.add(looseOnStderr.size() + " stderr lines are log lines or stack traces, e.g.:\n    "
          + String.join("\n    ", looseOnStderr.subList(0, Math.min(15, looseOnStderr.size()))));
    }
    if (!escapes.isEmpty()) {
      problems.add(escapes.size() + " lines carry ANSI escapes");
    }
    if (!stderr.hasLineStarting(BANNER_END)) {
      problems.add("the banner is not on stderr");
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n  ", problems));
    }
    assertEquals(List.of("failpoint 503", "write 201", "poison 200", "not a CloudEvent 500"),
        answers);
    JsonNode trace = stdout.json().stream().filter(l -> l.hasNonNull("stack_trace"))
        .findFirst().orElseThrow();
    assertEquals("ERROR", trace.path("severity").asText(), trace.toString());
    assertTrue(trace.path("stack_trace").asText().contains("\tat "), trace.toString());
    assertTrue(stdout.json().stream().anyMatch(l -> l.path("severity").asText()
        .equals("WARNING") && l.path("message").asText().startsWith("malformed analytics event")),
        "the poison message is acknowledged with a WARNING");
  }

  /**
   * {@code ./run-local} and {@code ./bench} build with {@code mvn -B -q}; a build with nothing to
   * report must print nothing, not even the ANSI resets Maven 3.8 writes by default (which then
   * stand in front of the next line).
   */
  @Test
  void aQuietBuildPrintsNothing() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("mvn", "-B", "-q", "-N", "validate")
        .directory(ProjectFiles.root().toFile()).redirectErrorStream(true);
    builder.environment().remove("MAVEN_OPTS");
    Process mvn = builder.start();
    String output = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(mvn.waitFor(120, TimeUnit.SECONDS), "mvn validate did not end");
    assertEquals(0, mvn.exitValue(), output);
    assertEquals("", output.replace("\u001b", "ESC"), "mvn -B -q printed something");
  }

  /** {@code ./run-local}'s java command, with this JVM's emulators and {@code env} added. */
  private static Process startLocalStack(Map<String, String> env) throws IOException {
    Path root = ProjectFiles.root();
    Path target = root.resolve("emulator-tests/target");
    String classpath = target.resolve("classes") + File.pathSeparator
        + Files.readString(target.resolve("classpath.txt"), StandardCharsets.UTF_8).trim();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-Ddocstore.root=" + root, "-cp", classpath,
        LocalStack.class.getName());
    Map<String, String> environment = builder.environment();
    environment.put("GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW", "false");
    environment.put("AUTH_MODE", "dev");
    environment.put("SPANNER_EMULATOR_HOST", emulators.spannerHost());
    environment.put("PUBSUB_EMULATOR_HOST", emulators.pubsubHost());
    environment.remove("DOCSTORE_LOG_LEVEL");
    environment.put(LocalStorage.DIRECTORY_VARIABLE,
        ProjectFiles.newStorageDirectory("run-local").toString());
    environment.putAll(env);
    return builder.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean await(BooleanSupplier condition, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private static void waitFor(BooleanSupplier condition, int seconds, String what,
      Lines stdout, Lines stderr, Process process) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        fail("waited " + seconds + " s for " + what + " (process "
            + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ");\nstdout:\n"
            + String.join("\n", stdout.lines()) + "\nstderr:\n"
            + String.join("\n", stderr.lines()));
      }
      Thread.sleep(100);
    }
  }

  /** The lines of one stream of the child, read as they come. */
  private static final class Lines {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private Lines(InputStream in) {
      reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (!line.isBlank()) {
              lines.add(line);
            }
          }
        } catch (IOException e) {
          lines.add("(reading failed: " + e + ")");
        }
      }, "local-stack-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Lines of(InputStream in) {
      return new Lines(in);
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    boolean contains(String line) {
      return lines.stream().anyMatch(l -> l.trim().equals(line));
    }

    boolean hasLineStarting(String prefix) {
      return lines.stream().anyMatch(l -> l.trim().startsWith(prefix));
    }

    /** The lines that are JSON log lines, parsed. */
    List<JsonNode> json() {
      return lines.stream().filter(Lines::isJsonLog).map(Lines::parse).toList();
    }

    void join() throws InterruptedException {
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** One JSON object with Cloud Logging's severity, message and time. */
    static boolean isJsonLog(String line) {
      JsonNode node = parse(line);
      return node != null && node.isObject() && node.path("severity").isTextual()
          && node.path("message").isTextual() && node.path("time").isTextual();
    }

    private static JsonNode parse(String line) {
      try {
        return Api.JSON.readTree(line);
      } catch (IOException e) {
        return null;
      }
    }
  }
}

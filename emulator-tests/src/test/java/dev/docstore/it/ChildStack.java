package dev.docstore.it;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import dev.docstore.config.Config;
import dev.docstore.local.Emulators;
import dev.docstore.local.LocalStack;
import dev.docstore.local.LocalStorage;
import dev.docstore.local.ProjectFiles;
import dev.docstore.store.ContentStore;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stack as a child JVM, started as {@code ./run-local} starts it ({@link LocalStack}'s
 * main on {@code emulator-tests/target/classes} plus {@code target/classpath.txt}) on this JVM's
 * emulators, on a database and topic of its own and a fixed port, so that a test can SIGKILL it
 * and start it again on the same port, emulators and database, as a crashed instance is replaced.
 * Its objects are kept in a storage directory of its own under target/ ({@code LOCAL_STORAGE_DIR}),
 * which outlives every kill and is removed on {@link #close}. The child runs its own analytics
 * bridge and relay, as ./run-local does. Its stdout and stderr go
 * to {@code emulator-tests/target/child-stacks/<name>-<run>.out/.err}, one pair per start.
 */
final class ChildStack implements AutoCloseable {
  /** The exit status of a process ended by SIGKILL (128 + 9), as Linux reports it. */
  static final int SIGKILL_EXIT = 137;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final String name;
  private final Map<String, String> env = new HashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private final int port;
  private final Path logs;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final Config config;
  private final Path storage;
  private Spanner spanner;
  private ContentStore content;
  private Process process;
  private int starts;

  /**
   * A child stack named {@code name} (its database, topic and log files are named after it) with
   * {@code extraEnv} on top of the harness's environment.
   */
  ChildStack(Emulators emulators, String name, Map<String, String> extraEnv,
      List<String> jvmOptions) {
    String suffix = name + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    this.name = suffix;
    this.port = freePort();
    env.put("GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW", "false");
    env.put("GOOGLE_CLOUD_SPANNER_ENABLE_BUILTIN_METRICS", "false");
    env.put("SPANNER_EMULATOR_HOST", emulators.spannerHost());
    env.put("PUBSUB_EMULATOR_HOST", emulators.pubsubHost());
    env.put("SPANNER_DATABASE", "db-" + suffix);
    env.put("ANALYTICS_TOPIC", "events-" + suffix);
    env.put("PORT", Integer.toString(port));
    env.put("AUTH_MODE", "dev");
    // The relay picks a row up a second after its commit, so the end of a run need not wait.
    env.put("OUTBOX_GRACE_PERIOD", "PT1S");
    this.storage = ProjectFiles.newStorageDirectory("child-" + suffix);
    env.put(LocalStorage.DIRECTORY_VARIABLE, storage.toString());
    env.putAll(extraEnv);
    this.jvmOptions.addAll(jvmOptions);
    this.config = Config.fromEnv(env);
    this.logs = ProjectFiles.root().resolve("emulator-tests/target/child-stacks");
  }

  /** Starts the child and waits until it answers; then {@link #restart} after each kill. */
  ChildStack start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the child stack is running");
    }
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      process = launch();
      if (awaitReady(deadline)) {
        return this;
      }
      // The port of the killed child may not be free yet: LocalStack.main exits 1 at once.
      if (System.nanoTime() > deadline) {
        String err = tail(logs.resolve(name + "-" + starts + ".err"));
        kill();
        throw new IllegalStateException("the child stack " + name + " did not answer within "
            + READY_TIMEOUT.toSeconds() + " s; stderr:\n" + err);
      }
      sleep(250);
    }
  }

  /**
   * SIGKILL, as an instance dies without a shutdown hook, and waits for the exit; asserts that the
   * exit status is the one of SIGKILL (Process.destroyForcibly is kill -9 on Linux).
   */
  void kill() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the child stack survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (process.exitValue() != SIGKILL_EXIT) {
      throw new IllegalStateException("the child stack exited " + process.exitValue()
          + ", not " + SIGKILL_EXIT + " (SIGKILL)");
    }
  }

  /** Kills the child if it runs, and starts it again on the same port, emulators and database. */
  ChildStack restart() {
    if (alive()) {
      kill();
    }
    return start();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  Config config() {
    return config;
  }

  /** How many times the child was started. */
  int starts() {
    return starts;
  }

  /** A Spanner client of this JVM on the child's database, for reading what it stored. */
  synchronized DatabaseClient databaseClient() {
    if (spanner == null) {
      spanner = SpannerOptions.newBuilder().setProjectId(config.projectId())
          .setEmulatorHost(env.get("SPANNER_EMULATOR_HOST")).setBuiltInMetricsEnabled(false)
          .build().getService();
    }
    return spanner.getDatabaseClient(DatabaseId.of(config.projectId(), config.spannerInstance(),
        config.spannerDatabase()));
  }

  /**
   * The child's objects, read from this JVM on its storage directory (for the {@link
   * InvariantChecker}): they outlive every kill, as Cloud Storage outlives an instance.
   */
  synchronized ContentStore contentStore() {
    if (content == null) {
      content = new ContentStore(LocalStorage.open(storage), config.contentBucket());
    }
    return content;
  }

  /** The last lines of the current run's stderr, for a failure message. */
  String stderrTail() {
    return tail(logs.resolve(name + "-" + starts + ".err"));
  }

  @Override
  public void close() {
    if (alive()) {
      kill();
    }
    if (spanner != null) {
      spanner.close();
    }
    ProjectFiles.deleteTree(storage);
  }

  private Process launch() {
    starts++;
    Path root = ProjectFiles.root();
    Path target = root.resolve("emulator-tests/target");
    try {
      Files.createDirectories(logs);
      String classpath = target.resolve("classes") + File.pathSeparator
          + Files.readString(target.resolve("classpath.txt"), StandardCharsets.UTF_8).trim();
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> command = new ArrayList<>(List.of(java, "-Ddocstore.root=" + root));
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", classpath, LocalStack.class.getName()));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(logs.resolve(name + "-" + starts + ".out").toFile())
          .redirectError(logs.resolve(name + "-" + starts + ".err").toFile());
      builder.environment().remove("DOCSTORE_LOG_LEVEL");
      builder.environment().putAll(env);
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True once the child answers an unknown path with its 404; false if it exited first. */
  private boolean awaitReady(long deadline) {
    HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/nope"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 404) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet (or the port still belongs to the killed child)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(100);
    }
    return false;
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

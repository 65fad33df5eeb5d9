package dev.docstore.bench;

import com.google.cloud.functions.invoker.runner.Invoker;
import dev.docstore.app.Docstore;
import dev.docstore.config.Config;
import dev.docstore.functions.CreateDocument;
import dev.docstore.local.LocalStorage;
import dev.docstore.local.ProjectFiles;
import java.io.IOException;
import java.io.OutputStream;
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

/**
 * Cold start: the time from spawning a JVM to the first 2xx of a function. The child JVM
 * ({@link #main}) is a function instance as Cloud Functions starts one: the Functions Framework's
 * invoker serving one function class at {@code /}, configuration from the environment, clients
 * built lazily by the first request (Storage is the local file store, as in the local stack, in
 * a directory of its own per spawn). The same child serves {@link HelloWorld} instead, the floor
 * a function on that JVM and flags cannot go below. It exits when its stdin closes.
 */
final class ColdStart {
  /** What a child serves. */
  enum Function {
    /** createDocument: a write (Spanner, Storage and Pub/Sub on its first request). */
    CREATE_DOCUMENT(CreateDocument.class),
    /** A function that answers 200 with no client and no work. */
    HELLO_WORLD(HelloWorld.class);

    final Class<?> target;

    Function(Class<?> target) {
      this.target = target;
    }
  }

  private ColdStart() {}

  /** The child: serves the function named by args[0] on $PORT until stdin closes. */
  public static void main(String[] args) throws Exception {
    Function function = Function.valueOf(args[0]);
    if (function == Function.CREATE_DOCUMENT) {
      // As deployed, except that Storage is the local file store: the function class's
      // Docstore.shared() finds this instance instead of building one with a GCS client.
      Docstore.install(Docstore.builder(Config.fromEnv(System.getenv()))
          .storage(LocalStorage.open(LocalStorage.directory(System.getenv()))).build());
    }
    Invoker invoker = new Invoker(Integer.parseInt(System.getenv("PORT")),
        function.target.getName(), "http", ColdStart.class.getClassLoader());
    invoker.startTestServer();
    while (System.in.read() >= 0) {
      // wait for the parent to close stdin
    }
    // A normal exit, so that -XX:ArchiveClassesAtExit and -XX:AOTCacheOutput write their files.
    System.exit(0);
  }

  /**
   * One spawn: milliseconds to the first 2xx, the CPU time the child had used by then (all its
   * threads, user and system: what a busy machine does not inflate), and its resident memory
   * then (MB).
   */
  record Run(double millis, double cpuMillis, double rssMb) {}

  /**
   * Spawns {@code javaHome/bin/java jvmFlags... ColdStart function} with {@code env} added to
   * this process's environment, POSTs a createDocument body until it answers 2xx, then stops the
   * child (and waits for it to write any archive its flags ask for).
   */
  static Run spawn(Path javaHome, List<String> jvmFlags, Function function,
      Map<String, String> env) throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        ColdStart.class.getName(), function.name()));
    Path log = ProjectFiles.newLog("coldstart");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put(LocalStorage.DIRECTORY_VARIABLE,
        ProjectFiles.newStorageDirectory("coldstart").toString());

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("X-Tenant-Id", "bench-cold").header("X-User-Id", "bench")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"title\":\"cold\",\"content\":\"cold start\"}", StandardCharsets.UTF_8))
        .build();
    long start = System.nanoTime();
    Process child = builder.start();
    try {
      long deadline = start + Duration.ofSeconds(180).toNanos();
      while (true) {
        if (!child.isAlive()) {
          throw new IllegalStateException("the cold-start child exited with "
              + child.exitValue() + ", see " + log + ": " + String.join(" ", command));
        }
        try {
          int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status >= 200 && status < 300) {
            double millis = (System.nanoTime() - start) / 1e6;
            Files.deleteIfExists(log); // kept only when the run failed: the errors name it
            return new Run(millis, cpuMillis(child.pid()), rssMb(child.pid()));
          }
          throw new IllegalStateException("the cold-start child answered " + status + ", see "
              + log);
        } catch (IOException notYetListening) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("no answer from the cold-start child in 180 s");
          }
          Thread.sleep(5);
        }
      }
    } finally {
      stop(child);
    }
  }

  private static void stop(Process child) throws InterruptedException {
    try (OutputStream in = child.getOutputStream()) {
      in.flush();
    } catch (IOException ignored) {
      // already gone
    }
    // A JDK 25 training run assembles its AOT cache at exit, which takes a while.
    if (!child.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
      child.destroyForcibly().waitFor();
    }
  }

  /** utime + stime of /proc/PID/stat, in milliseconds (Linux's clock tick is 1/100 s). */
  private static double cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN; // not Linux, or the child is gone
    }
  }

  private static double rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the child is gone
    }
    return Double.NaN;
  }
}

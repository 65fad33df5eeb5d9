package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.local.Emulators;
import dev.docstore.local.LocalStack;
import dev.docstore.local.ProjectFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The emulator harness and the start-up guards, each in its own processes. */
class HarnessTest {

  private static boolean dockerAnswers() {
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  @Test
  void withoutAnyEmulatorTheErrorNamesAllThreeOptions() {
    Assumptions.assumeFalse(dockerAnswers(), "a Docker daemon would be used instead");
    Map<String, String> env = Map.of("PATH", "/nonexistent", "CLOUDSDK_ROOT_DIR",
        "/nonexistent/google-cloud-sdk");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Emulators.start(env));
    String message = e.getMessage();
    assertTrue(message.contains("SPANNER_EMULATOR_HOST"), message);
    assertTrue(message.contains("Docker"), message);
    assertTrue(message.contains("gcloud"), message);
  }

  @Test
  void stoppingTheEmulatorsLeavesNoProcessAndNoTempFileBehind() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("SPANNER_EMULATOR_HOST");
    env.remove("PUBSUB_EMULATOR_HOST");
    Assumptions.assumeFalse(dockerAnswers(), "containers are stopped by Testcontainers");
    // Other test classes share emulators started by this JVM: only processes that appear with
    // this instance are its own.
    Set<Long> before = ProcessHandle.current().descendants().map(ProcessHandle::pid)
        .collect(Collectors.toSet());
    List<ProcessHandle> tree = new ArrayList<>();
    Set<Path> outputs = new HashSet<>();
    try (Emulators emulators = Emulators.start(env)) {
      ProcessHandle.current().descendants().filter(p -> !before.contains(p.pid()))
          .forEach(tree::add);
      assertTrue(tree.stream().anyMatch(p -> p.info().command().orElse("")
          .endsWith("emulator_main")), "the gateway's child emulator_main is running");
      for (ProcessHandle p : tree) {
        outputs.addAll(outputFiles(p));
      }
    }
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        // checked below
      }
    }
    List<String> alive = new ArrayList<>();
    tree.stream().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().orElse("").matches(".*(gateway_main|emulator_main|java)"))
        .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("")
            .matches(".*(grpc_port|pubsub|emulator).*"))
        .forEach(p -> alive.add(p.pid() + " " + p.info().commandLine().orElse("")));
    assertTrue(alive.isEmpty(), "left running: " + alive);
    assertTrue(tree.stream().noneMatch(ProcessHandle::isAlive), "left running: " + tree);
    // Where the emulators wrote their output: files under the build's target/, so none in the
    // temporary directory unless the checkout itself lives there (as a CI clone may).
    Path logs = ProjectFiles.root().resolve("emulator-tests/target").toAbsolutePath().normalize();
    assertFalse(outputs.isEmpty(), "the emulators' output goes to files");
    for (Path output : outputs) {
      assertTrue(output.toAbsolutePath().normalize().startsWith(logs),
          "an emulator writes to " + output + ", not under " + logs);
    }
  }

  /** The regular files a process writes its stdout and stderr to (Linux /proc). */
  private static Set<Path> outputFiles(ProcessHandle process) {
    Set<Path> files = new HashSet<>();
    for (int fd : new int[] {1, 2}) {
      try {
        Path target = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "fd",
            Integer.toString(fd)));
        if (Files.isRegularFile(target)) {
          files.add(target);
        }
      } catch (IOException | UnsupportedOperationException gone) {
        // the process has exited, or its fd is not a file
      }
    }
    return files;
  }

  @Test
  void emulatorsDoNotOutliveTheirJvmEvenAfterSigkill() throws Exception {
    Assumptions.assumeFalse(dockerAnswers(), "containers are stopped by Testcontainers");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("SPANNER_EMULATOR_HOST");
    env.remove("PUBSUB_EMULATOR_HOST");
    Process jvm = java(EmulatorsProbe.class, env).redirectErrorStream(true).start();
    List<ProcessHandle> started = new ArrayList<>();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
          StandardCharsets.UTF_8));
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
        StringBuilder seen = new StringBuilder();
        try {
          for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("ready ")) {
              return line;
            }
            seen.append(line).append('\n');
          }
        } catch (IOException e) {
          seen.append(e);
        }
        return "exited: " + seen;
      });
      String line = ready.get(120, TimeUnit.SECONDS);
      assertTrue(line.startsWith("ready "), line);
      jvm.toHandle().descendants().forEach(started::add);
      assertTrue(started.stream().anyMatch(p -> p.info().command().orElse("")
          .endsWith("emulator_main")), "emulator_main is running: " + describe(started));
      assertTrue(started.stream().anyMatch(p -> p.info().commandLine().orElse("")
          .contains("pubsub")), "the Pub/Sub emulator is running: " + describe(started));

      jvm.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
      assertTrue(jvm.waitFor(10, TimeUnit.SECONDS));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (started.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      List<ProcessHandle> alive = started.stream().filter(ProcessHandle::isAlive).toList();
      assertTrue(alive.isEmpty(), "outlived their JVM: " + describe(alive));
    } finally {
      jvm.destroyForcibly();
      started.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void runLocalExitsAtOnceWhenItsPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.remove("SPANNER_EMULATOR_HOST");
      env.remove("PUBSUB_EMULATOR_HOST");
      env.put("PORT", Integer.toString(taken.getLocalPort()));
      env.put("GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW", "false");
      Process runLocal = java(LocalStack.class, env).redirectErrorStream(true).start();
      List<ProcessHandle> children = new ArrayList<>();
      try {
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
          try {
            return new String(runLocal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return e.toString();
          }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (runLocal.isAlive() && System.nanoTime() < deadline) {
          runLocal.toHandle().descendants().filter(p -> !children.contains(p))
              .forEach(children::add);
          Thread.sleep(20);
        }
        assertFalse(runLocal.isAlive(), "./run-local still runs 20 s after its port was taken");
        String text = output.get(10, TimeUnit.SECONDS);
        assertNotEquals(0, runLocal.exitValue(), text);
        assertTrue(text.contains(Integer.toString(taken.getLocalPort())), text);
        assertTrue(children.stream().noneMatch(ProcessHandle::isAlive),
            "left running: " + describe(children));
      } finally {
        runLocal.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static String describe(List<ProcessHandle> processes) {
    return processes.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .collect(Collectors.joining("; "));
  }

  /** A fresh JVM running {@code main} on this test's class path, with exactly {@code env}. */
  private static ProcessBuilder java(Class<?> main, Map<String, String> env) {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-cp",
        System.getProperty("java.class.path"), "-Ddocstore.root=" + ProjectFiles.root(),
        main.getName());
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder;
  }

  /** Runs {@link GuardProbe} in a fresh JVM with exactly this environment. */
  private static Result probe(Map<String, String> env) throws Exception {
    Map<String, String> withPath = new HashMap<>(env);
    withPath.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", ""));
    Process process = java(GuardProbe.class, withPath).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    return new Result(process.exitValue(), output);
  }

  private record Result(int exit, String output) {}

  @Test
  void againstTheEmulatorTheMultiplexedSessionSwitchIsRequired() throws Exception {
    Result refused = probe(Map.of("SPANNER_EMULATOR_HOST", "127.0.0.1:1"));
    assertEquals(3, refused.exit(), refused.output());
    assertTrue(refused.output().contains("GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW=false"),
        refused.output());
    Result started = probe(Map.of("SPANNER_EMULATOR_HOST", "127.0.0.1:1",
        "GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW", "false"));
    assertEquals(0, started.exit(), started.output());
  }

  @Test
  void developmentSwitchesRefuseToStartWithoutAnEmulator() throws Exception {
    Result dev = probe(Map.of("AUTH_MODE", "dev"));
    assertEquals(3, dev.exit(), dev.output());
    assertTrue(dev.output().contains("AUTH_MODE=dev"), dev.output());
    Result failpoints = probe(Map.of("FAILPOINTS_ENABLED", "true",
        "FAILPOINTS", "createDocument.beforeCommit=error"));
    assertEquals(3, failpoints.exit(), failpoints.output());
    assertTrue(failpoints.output().contains("FAILPOINTS"), failpoints.output());
    Result production = probe(Map.of("GOOGLE_CLOUD_PROJECT", "p"));
    assertEquals(0, production.exit(), "firebase auth, no emulator, no failpoints: "
        + production.output());
    assertFalse(production.output().contains("refusing"));
  }
}

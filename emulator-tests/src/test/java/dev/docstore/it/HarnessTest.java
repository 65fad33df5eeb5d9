package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.local.Emulators;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  void stoppingTheEmulatorsLeavesNoProcessBehind() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("SPANNER_EMULATOR_HOST");
    env.remove("PUBSUB_EMULATOR_HOST");
    Assumptions.assumeFalse(dockerAnswers(), "containers are stopped by Testcontainers");
    // Other test classes share emulators started by this JVM: only processes that appear with
    // this instance are its own.
    Set<Long> before = ProcessHandle.current().descendants().map(ProcessHandle::pid)
        .collect(Collectors.toSet());
    List<ProcessHandle> tree = new ArrayList<>();
    try (Emulators emulators = Emulators.start(env)) {
      ProcessHandle.current().descendants().filter(p -> !before.contains(p.pid()))
          .forEach(tree::add);
      assertTrue(tree.stream().anyMatch(p -> p.info().command().orElse("")
          .endsWith("emulator_main")), "the gateway's child emulator_main is running");
    }
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
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
  }

  /** Runs {@link GuardProbe} in a fresh JVM with exactly this environment. */
  private static Result probe(Map<String, String> env) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-cp",
        System.getProperty("java.class.path"), GuardProbe.class.getName())
        .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", ""));
    builder.environment().putAll(env);
    Process process = builder.start();
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

package dev.docstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.docstore.it.Stack;
import dev.docstore.local.AnalyticsBridge;
import dev.docstore.local.ProjectFiles;
import dev.docstore.testing.HttpFaultProxy;
import dev.docstore.testing.HttpFaultProxy.Fault;
import dev.docstore.testing.HttpFaultProxy.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TypeScript client, clients/typescript, built and tested by the build: its generated types
 * against docs/openapi.yaml, its unit tests, every function against this class's local stack, the
 * flaky-network test through an {@link HttpFaultProxy}, and the example page (which the stack
 * serves at {@code /}) in headless Chromium. The analytics bridge runs, so getUsage counts.
 */
class TypeScriptClientTest {
  private static final Path CLIENT = ProjectFiles.root().resolve("clients/typescript");
  private static final String CHROMIUM_INSTALL =
      "install Debian's chromium package (apt-get install -y chromium, as root) or set"
          + " CHROMIUM_PATH to a Chromium or Chrome binary";

  @RegisterExtension
  static final Stack STACK = new Stack()
      .env("LOCAL_PAGE_DIR", CLIENT.resolve("example/dist").toString());

  private static final NpmPackage NPM = new NpmPackage(CLIENT);
  private static AnalyticsBridge bridge;

  @BeforeAll
  static void build() throws Exception {
    NPM.install();
    NPM.script("build", Map.of());
    bridge = new AnalyticsBridge(STACK.admin(), STACK.local().config().projectId(),
        STACK.local().config().analyticsTopic(), "ts-client-" + System.nanoTime(),
        STACK.local().baseUrl()).start();
  }

  @AfterAll
  static void stopBridge() {
    if (bridge != null) {
      bridge.close();
    }
  }

  @Test
  void generatedTypesAreInSyncWithTheSpec() throws Exception {
    NPM.script("check-generated", Map.of());
  }

  @Test
  void unitTests() throws Exception {
    NPM.script("test", Map.of());
  }

  @Test
  void everyFunctionAgainstTheLocalStack() throws Exception {
    NPM.script("test:functions", Map.of("DOCSTORE_URL", STACK.local().baseUrl()));
  }

  /**
   * Writes through a proxy that resets some requests before they reach the stack, drops some
   * answers after the stack processed them, and delays others: the TypeScript side asserts that
   * N actions are N effects (rows and usage); this side adds the proxy's figures.
   */
  @Test
  void aFlakyNetworkChangesNoCount() throws Exception {
    try (HttpFaultProxy proxy = HttpFaultProxy.start(STACK.local().baseUrl(),
        new Plan(0.15, 0.25, 0.15, Duration.ofMillis(300), 42))) {
      String output = NPM.script("test:flaky", Map.of("DOCSTORE_URL", STACK.local().baseUrl(),
          "DOCSTORE_FLAKY_URL", proxy.baseUrl()));
      List<String> figures = NpmPackage.after(output, "FLAKY ");
      assertEquals(1, figures.size(), "the flaky test prints its figures once");
      String summary = "FLAKY " + figures.get(0) + " requests=" + (proxy.forwarded()
          + proxy.count(Fault.RESET_BEFORE_FORWARDING))
          + " resetBeforeForwarding=" + proxy.count(Fault.RESET_BEFORE_FORWARDING)
          + " droppedAfterProcessing=" + proxy.count(Fault.DROP_ANSWER)
          + " delayed=" + proxy.count(Fault.DELAY);
      System.out.println(summary);
      assertTrue(proxy.count(Fault.DROP_ANSWER) > 0 && proxy.count(Fault.RESET_BEFORE_FORWARDING)
          > 0 && proxy.count(Fault.DELAY) > 0, "every fault happened: " + summary);
      // Every request that got no answer was retried; a 503 of a loaded stack may add retries
      // of its own, so the count is at least the proxy's faults.
      Matcher retries = Pattern.compile("\\bretries=(\\d+)").matcher(figures.get(0));
      assertTrue(retries.find(), summary);
      long faults = proxy.count(Fault.RESET_BEFORE_FORWARDING) + proxy.count(Fault.DROP_ANSWER);
      assertTrue(Long.parseLong(retries.group(1)) >= faults,
          "every unanswered request was retried (" + faults + "): " + summary);
    }
  }

  @Test
  void theExamplePageInHeadlessChromium() throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      String message = "no Chromium at " + chromium + ": " + CHROMIUM_INSTALL;
      if ("true".equals(System.getenv("CI"))) {
        fail(message + " (CI=true: a missing browser fails the run; .ci/run installs it)");
      }
      Assumptions.abort(message);
    }
    Path screenshot = ProjectFiles.root()
        .resolve("emulator-tests/target/screenshots/example-page.png");
    Files.createDirectories(screenshot.getParent());
    Files.deleteIfExists(screenshot);
    NPM.script("test:browser", Map.of("DOCSTORE_URL", STACK.local().baseUrl(),
        "CHROMIUM_PATH", chromium.toString(), "SCREENSHOT", screenshot.toString()));
    assertTrue(Files.size(screenshot) > 0, "a screenshot at " + screenshot);
    System.out.println("screenshot: " + screenshot);
  }
}

package dev.docstore.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spanner and Pub/Sub emulators, each resolved in this order (docs/EMULATORS.md):
 *
 * <ol>
 *   <li>{@code SPANNER_EMULATOR_HOST} / {@code PUBSUB_EMULATOR_HOST}, if set (left running);
 *   <li>Testcontainers' gcloud containers, if a Docker daemon answers;
 *   <li>the gcloud SDK emulator binaries, on free ports, stopped by {@link #close()};
 *   <li>otherwise an error naming the three options.
 * </ol>
 */
public final class Emulators implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.local");
  static final String SPANNER_IMAGE = "gcr.io/cloud-spanner-emulator/emulator:1.5.28";
  static final String PUBSUB_IMAGE = "gcr.io/google.com/cloudsdktool/google-cloud-cli:emulators";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String spannerHost;
  private final String spannerSource;
  private volatile String pubsubHost;
  private final String pubsubSource;
  private final List<AutoCloseable> owned;
  private volatile EmulatorProcess pubsubProcess;
  private final Path sdkRoot;

  private Emulators(String spannerHost, String spannerSource, String pubsubHost,
      String pubsubSource, List<AutoCloseable> owned, EmulatorProcess pubsubProcess,
      Path sdkRoot) {
    this.spannerHost = spannerHost;
    this.spannerSource = spannerSource;
    this.pubsubHost = pubsubHost;
    this.pubsubSource = pubsubSource;
    this.owned = owned;
    this.pubsubProcess = pubsubProcess;
    this.sdkRoot = sdkRoot;
  }

  public static Emulators start() {
    return start(System.getenv());
  }

  public static Emulators start(Map<String, String> env) {
    List<AutoCloseable> owned = new ArrayList<>();
    Optional<Path> sdk = gcloudSdkRoot(env);
    Lazy<Boolean> docker = new Lazy<>(Emulators::dockerAvailable);
    try {
      String spannerHost;
      String spannerSource;
      String given = env.get("SPANNER_EMULATOR_HOST");
      if (given != null && !given.isBlank()) {
        spannerHost = given;
        spannerSource = "SPANNER_EMULATOR_HOST";
      } else if (docker.get()) {
        spannerHost = Containers.spanner(owned);
        spannerSource = "Testcontainers " + SPANNER_IMAGE;
      } else if (sdk.isPresent() && EmulatorProcess.executable(spannerGateway(sdk.get()))) {
        int grpc = EmulatorProcess.freePort();
        int http = EmulatorProcess.freePort();
        EmulatorProcess process = EmulatorProcess.start("spanner", List.of(
            spannerGateway(sdk.get()).toString(), "--hostname", "127.0.0.1",
            "--grpc_port", Integer.toString(grpc), "--http_port", Integer.toString(http)),
            grpc, START_TIMEOUT);
        owned.add(process);
        spannerHost = process.host();
        spannerSource = "gcloud SDK " + spannerGateway(sdk.get());
      } else {
        throw missing("Cloud Spanner", "SPANNER_EMULATOR_HOST", spannerGateway(
            sdk.orElse(Paths.get("/usr/lib/google-cloud-sdk"))), sdk);
      }

      String pubsubHost;
      String pubsubSource;
      EmulatorProcess pubsubProcess = null;
      String givenPubsub = env.get("PUBSUB_EMULATOR_HOST");
      if (givenPubsub != null && !givenPubsub.isBlank()) {
        pubsubHost = givenPubsub;
        pubsubSource = "PUBSUB_EMULATOR_HOST";
      } else if (docker.get()) {
        pubsubHost = Containers.pubsub(owned);
        pubsubSource = "Testcontainers " + PUBSUB_IMAGE;
      } else if (sdk.isPresent() && EmulatorProcess.executable(pubsubBinary(sdk.get()))) {
        pubsubProcess = startPubsub(sdk.get(), EmulatorProcess.freePort());
        owned.add(pubsubProcess);
        pubsubHost = pubsubProcess.host();
        pubsubSource = "gcloud SDK " + pubsubBinary(sdk.get());
      } else {
        throw missing("Pub/Sub", "PUBSUB_EMULATOR_HOST",
            pubsubBinary(sdk.orElse(Paths.get("/usr/lib/google-cloud-sdk"))), sdk);
      }
      return new Emulators(spannerHost, spannerSource, pubsubHost, pubsubSource, owned,
          pubsubProcess, sdk.orElse(null));
    } catch (RuntimeException e) {
      closeAll(owned);
      throw e;
    }
  }

  public String spannerHost() {
    return spannerHost;
  }

  public String pubsubHost() {
    return pubsubHost;
  }

  public String describe() {
    return "Spanner emulator " + spannerHost + " (" + spannerSource + ")\n"
        + "Pub/Sub emulator " + pubsubHost + " (" + pubsubSource + ")";
  }

  /** The emulators named by *_EMULATOR_HOST: this process uses them but never stops them. */
  public List<String> given() {
    List<String> out = new ArrayList<>();
    if (spannerSource.endsWith("_EMULATOR_HOST")) {
      out.add("the Spanner emulator at " + spannerHost + " (" + spannerSource + ")");
    }
    if (pubsubSource.endsWith("_EMULATOR_HOST")) {
      out.add("the Pub/Sub emulator at " + pubsubHost + " (" + pubsubSource + ")");
    }
    return out;
  }

  /** Whether {@link #stopPubsub()} and {@link #startPubsubAgain()} can be used (outage tests). */
  public boolean pubsubRestartable() {
    return sdkRoot != null && pubsubSource.startsWith("gcloud SDK");
  }

  public synchronized void stopPubsub() {
    if (!pubsubRestartable()) {
      throw new IllegalStateException("only a Pub/Sub emulator started from the SDK can stop");
    }
    pubsubProcess.close();
  }

  /** Starts the Pub/Sub emulator again on the same port; its topics are gone, as after a crash. */
  public synchronized void startPubsubAgain() {
    if (!pubsubRestartable()) {
      throw new IllegalStateException("only a Pub/Sub emulator started from the SDK can start");
    }
    int port = Integer.parseInt(pubsubHost.substring(pubsubHost.lastIndexOf(':') + 1));
    EmulatorProcess restarted = startPubsub(sdkRoot, port);
    owned.remove(pubsubProcess);
    owned.add(restarted);
    pubsubProcess = restarted;
  }

  @Override
  public void close() {
    closeAll(owned);
  }

  private static EmulatorProcess startPubsub(Path sdk, int port) {
    return EmulatorProcess.start("pubsub", List.of(pubsubBinary(sdk).toString(),
        "--host=127.0.0.1", "--port=" + port), port, START_TIMEOUT);
  }

  private static void closeAll(List<AutoCloseable> owned) {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        LOG.warn("could not stop an emulator", e);
      }
    }
    owned.clear();
  }

  static Path spannerGateway(Path sdk) {
    return sdk.resolve("bin/cloud_spanner_emulator/gateway_main");
  }

  static Path pubsubBinary(Path sdk) {
    return sdk.resolve("platform/pubsub-emulator/bin/cloud-pubsub-emulator");
  }

  /**
   * CLOUDSDK_ROOT_DIR when set (and then only it), else the SDK around the gcloud on PATH, else
   * the Debian package path.
   */
  static Optional<Path> gcloudSdkRoot(Map<String, String> env) {
    List<Path> candidates = new ArrayList<>();
    String configured = env.get("CLOUDSDK_ROOT_DIR");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Paths.get(configured)).filter(Files::isDirectory);
    }
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path gcloud = Paths.get(dir, "gcloud");
      if (Files.isExecutable(gcloud)) {
        try {
          candidates.add(gcloud.toRealPath().getParent().getParent());
        } catch (java.io.IOException ignored) {
          // a dangling link: try the next candidate
        }
      }
    }
    candidates.add(Paths.get("/usr/lib/google-cloud-sdk"));
    return candidates.stream().filter(Files::isDirectory).findFirst();
  }

  private static boolean dockerAvailable() {
    try {
      return Containers.dockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  private static IllegalStateException missing(String what, String variable, Path binary,
      Optional<Path> sdk) {
    return new IllegalStateException("No " + what + " emulator available. Provide one of:\n"
        + "  1. " + variable + "=host:port of a running emulator;\n"
        + "  2. a Docker daemon, for Testcontainers' gcloud module (none answered);\n"
        + "  3. the gcloud CLI with its emulator components (expected " + binary
        + (sdk.isEmpty() ? "; no gcloud SDK found" : "; not found") + "):\n"
        + "     gcloud components install cloud-spanner-emulator pubsub-emulator\n"
        + "     (or the Debian packages google-cloud-cli-spanner-emulator and"
        + " google-cloud-cli-pubsub-emulator).");
  }

  /** Computes a value once, on first use. */
  private static final class Lazy<T> {
    private final java.util.function.Supplier<T> supplier;
    private T value;
    private boolean done;

    Lazy(java.util.function.Supplier<T> supplier) {
      this.supplier = supplier;
    }

    T get() {
      if (!done) {
        value = supplier.get();
        done = true;
      }
      return value;
    }
  }
}

package dev.docstore.local;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.google.cloud.storage.Storage;
import dev.docstore.api.Operation;
import dev.docstore.app.Docstore;
import dev.docstore.config.Config;
import dev.docstore.functions.EntryPoints;
import dev.docstore.functions.EntryPoints.EntryPoint;
import dev.docstore.logging.JulBridge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack (docs/CONTRACT.md): the database from schema.sql and the topic, and
 * every HTTP function on one port. {@code ./run-local} runs {@link #main}; the tests start the
 * same stack in-process, one per test class, on a fresh database.
 */
public final class LocalStack implements AutoCloseable {
  /** The banner's last line: what a stop leaves behind. */
  public static final String STOP_LINE = "Left running or kept after it stops:";
  private static final Logger LOG = LoggerFactory.getLogger("docstore.local");
  private final Config config;
  private final Docstore docstore;
  private final StorageCalls storageCalls;
  private final Storage storage;
  private final Path storageDirectory;
  private final LocalServer server;

  private LocalStack(Config config, Docstore docstore, StorageCalls storageCalls,
      Path storageDirectory, LocalServer server) {
    this.config = config;
    this.docstore = docstore;
    this.storageCalls = storageCalls;
    this.storage = storageCalls == null ? null : storageCalls.storage();
    this.storageDirectory = storageDirectory;
    this.server = server;
  }

  /**
   * Starts the stack against {@code emulators}. {@code env} is the environment of docs/CONTRACT.md;
   * the emulator hosts are filled in from {@code emulators} and dev auth is the default. Cloud
   * Storage is the file store under {@code LOCAL_STORAGE_DIR} ({@link LocalStorage#directory}),
   * so a stack started again on the same directory and database serves what this one stored.
   */
  public static LocalStack start(Emulators emulators, Map<String, String> env, Clock clock,
      String bindHost, int port) {
    return start(emulators, env, clock, bindHost, port, builder -> { });
  }

  /** As above, letting the caller adjust the Docstore (e.g. a Spanner RPC counter). */
  public static LocalStack start(Emulators emulators, Map<String, String> env, Clock clock,
      String bindHost, int port, Consumer<Docstore.Builder> customizer) {
    LocalServer server = LocalServer.bind(bindHost, port);
    try {
      return start(emulators, env, clock, server, customizer);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** As above, on a server that already holds its port (./run-local takes it first). */
  static LocalStack start(Emulators emulators, Map<String, String> env, Clock clock,
      LocalServer server, Consumer<Docstore.Builder> customizer) {
    Map<String, String> merged = new HashMap<>(env);
    merged.put("SPANNER_EMULATOR_HOST", emulators.spannerHost());
    merged.put("PUBSUB_EMULATOR_HOST", emulators.pubsubHost());
    merged.putIfAbsent("AUTH_MODE", "dev");
    Config config = Config.fromEnv(merged);

    try (EmulatorAdmin admin = new EmulatorAdmin(config.projectId(), emulators.spannerHost(),
        emulators.pubsubHost())) {
      admin.createInstanceIfMissing(config.spannerInstance());
      admin.createDatabaseIfMissing(config.spannerInstance(), config.spannerDatabase());
      admin.createTopicIfMissing(config.analyticsTopic());
    }
    Path storageDirectory = config.storageEmulatorHost().isPresent() ? null
        : LocalStorage.directory(merged);
    // Counted, so that tests and the benchmark can see what a request cost in storage.
    StorageCalls storageCalls = storageDirectory == null ? null
        : StorageCalls.counting(LocalStorage.open(storageDirectory));
    Storage storage = storageCalls == null ? null : storageCalls.storage();
    Docstore.Builder builder = Docstore.builder(config).clock(clock);
    if (storage != null) {
      builder.storage(storage);
    }
    customizer.accept(builder);
    Docstore docstore = builder.build();
    String page = merged.get(ExamplePage.DIRECTORY_VARIABLE);
    if (page != null && !page.isBlank()) {
      server.page(Path.of(page));
    }
    try {
      server.serve(docstore);
    } catch (RuntimeException e) {
      docstore.close();
      throw e;
    }
    return new LocalStack(config, docstore, storageCalls, storageDirectory, server);
  }

  public Config config() {
    return config;
  }

  public Docstore docstore() {
    return docstore;
  }

  /** The file-backed storage, or null when STORAGE_EMULATOR_HOST names a real emulator. */
  public Storage storage() {
    return storage;
  }

  /** The calls the functions made on {@link #storage()}, or null as for it. */
  public StorageCalls storageCalls() {
    return storageCalls;
  }

  /** The directory of {@link #storage()}, or null when STORAGE_EMULATOR_HOST is set. */
  public Path storageDirectory() {
    return storageDirectory;
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  @Override
  public void close() {
    server.close();
    docstore.close();
  }

  /**
   * {@code ./run-local}: takes the port first, so that a taken one fails at once, then starts the
   * emulators and the stack. Whatever has started is stopped in reverse order by one shutdown
   * hook, on Ctrl-C and on a failed start alike (which exits 1); the emulators it started die with
   * this JVM even when it is killed outright (see EmulatorProcess). stdout carries only JSON log
   * lines (java.util.logging and uncaught exceptions included); the banner and a refusal to
   * start, for people, go to stderr.
   */
  public static void main(String[] args) throws InterruptedException {
    JulBridge.install();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
        LOG.error("uncaught exception", kv("thread", thread.getName()), e));
    Map<String, String> env = System.getenv();
    if (!"false".equals(env.get("GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW"))) {
      System.err.println("Set GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW=false"
          + " (./run-local does): the Spanner emulator mishandles multiplexed read-write"
          + " sessions.");
      System.exit(2);
    }
    Deque<AutoCloseable> started = new ArrayDeque<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      synchronized (started) {
        while (!started.isEmpty()) {
          try {
            started.pop().close();
          } catch (Exception e) {
            LOG.warn("a part of the local stack failed to stop", e);
          }
        }
      }
      stopped.countDown();
    }, "local-stack-stop"));
    try {
      String port = env.getOrDefault("PORT", "8080");
      LocalServer server = LocalServer.bind("127.0.0.1", Integer.parseInt(port));
      push(started, server);
      Emulators emulators = push(started, Emulators.start(env));
      LocalStack stack = push(started, start(emulators, env, Clock.systemUTC(), server,
          builder -> { }));
      EmulatorAdmin admin = push(started, new EmulatorAdmin(stack.config().projectId(),
          emulators.spannerHost(), emulators.pubsubHost()));
      AnalyticsBridge bridge = push(started, new AnalyticsBridge(admin,
          stack.config().projectId(), stack.config().analyticsTopic(),
          stack.config().analyticsTopic() + "-local", stack.baseUrl()).start());
      ScheduledExecutorService relay = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "publish-outbox");
        t.setDaemon(true);
        return t;
      });
      push(started, relay::shutdownNow);
      HttpClient scheduler = HttpClient.newHttpClient();
      relay.scheduleWithFixedDelay(() -> stack.runScheduled(scheduler,
          Operation.PUBLISH_OUTBOX), 30, 30, TimeUnit.SECONDS);
      // Its own thread, so that a long purge never delays the relay.
      ScheduledExecutorService purge = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "purge-trash");
        t.setDaemon(true);
        return t;
      });
      push(started, purge::shutdownNow);
      purge.scheduleWithFixedDelay(() -> stack.runScheduled(scheduler, Operation.PURGE_TRASH),
          1, 60, TimeUnit.MINUTES);
      System.err.println(stack.banner(emulators));
    } catch (RuntimeException e) {
      System.err.println("./run-local could not start: " + e.getMessage());
      if (!(e instanceof LocalServer.PortTaken) && !(e instanceof NumberFormatException)) {
        LOG.error("the local stack could not start", e);
      }
      System.exit(1);
    }
    stopped.await();
  }

  private static <T extends AutoCloseable> T push(Deque<AutoCloseable> started, T closeable) {
    synchronized (started) {
      started.push(closeable);
    }
    return closeable;
  }

  /**
   * POSTs a background function's path, as Cloud Scheduler does in production (publishOutbox
   * every minute, purgeTrash daily).
   */
  void runScheduled(HttpClient http, Operation operation) {
    try {
      http.send(HttpRequest.newBuilder(
              URI.create(baseUrl() + "/" + operation.functionName()))
          .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      LOG.warn("scheduled " + operation.functionName() + " failed",
          kv("reason", e.getClass().getSimpleName()));
    }
  }

  String banner(Emulators emulators) {
    StringBuilder out = new StringBuilder("\ndocstore local stack\n");
    out.append(emulators.describe()).append('\n');
    out.append("Cloud Storage: ").append(storage == null
        ? "STORAGE_EMULATOR_HOST " + config.storageEmulatorHost().orElse("")
        : "files under " + storageDirectory + " (kept across restarts; "
            + LocalStorage.DIRECTORY_VARIABLE + " moves them), bucket "
            + config.contentBucket()).append('\n');
    out.append("Spanner database ").append(config.projectId()).append('/')
        .append(config.spannerInstance()).append('/').append(config.spannerDatabase())
        .append(" (from infra/spanner/schema.sql)\n");
    out.append("Pub/Sub topic ").append(config.analyticsTopic()).append(", pull subscription ")
        .append(config.analyticsTopic()).append("-local -> /analyticsSubscriber (CloudEvent)\n");
    java.time.Duration retention = config.trashRetention();
    out.append("publishOutbox runs every 30 s, purgeTrash every hour (TRASH_RETENTION ")
        .append(retention.toSecondsPart() == 0 && retention.toMinutesPart() == 0
            && retention.toHoursPart() == 0 ? "P" + retention.toDays() + "D" : retention)
        .append(")\n");
    out.append("Auth: AUTH_MODE=").append(config.authMode().name().toLowerCase())
        .append(config.authMode() == Config.AuthMode.DEV
            ? " (send X-Tenant-Id and X-User-Id)"
            : " (tenant from the " + config.authTenantClaim() + " claim)")
        .append("\n\nFunctions:\n");
    for (EntryPoint entry : EntryPoints.ALL) {
      out.append(String.format("  %-5s %s/%s%n", entry.method(), baseUrl(), entry.name()));
    }
    server.pageUrl().ifPresent(url -> out.append("\nExample page (clients/typescript/example): ")
        .append(url).append('\n'));
    out.append("\nTry:\n  curl -s -X POST ").append(baseUrl()).append("/createDocument \\\n")
        .append("    -H 'Content-Type: application/json' -H 'X-Tenant-Id: acme'")
        .append(" -H 'X-User-Id: alice' \\\n")
        .append("    -H 'Idempotency-Key: first-doc' \\\n")
        .append("    -d '{\"title\":\"Hello\",\"content\":\"hello, docstore\"}'\n")
        .append("  curl -s ").append(baseUrl())
        .append("/listDocuments -H 'X-Tenant-Id: acme'\n\n");
    out.append("Ctrl-C stops it (so does kill ").append(ProcessHandle.current().pid())
        .append(", even -9): the functions and the emulators it started end with it.\n");
    List<String> left = new ArrayList<>(emulators.given());
    if (storage != null) {
      left.add("the Cloud Storage files under " + storageDirectory);
    }
    out.append(STOP_LINE).append(left.isEmpty() ? " nothing" : " " + String.join(", ", left))
        .append(".\n");
    return out.toString();
  }
}

package dev.docstore.it;

import static dev.docstore.api.Operation.PUBLISH_OUTBOX;

import com.google.pubsub.v1.PubsubMessage;
import dev.docstore.local.AnalyticsBridge;
import dev.docstore.local.EmulatorAdmin;
import dev.docstore.local.Emulators;
import dev.docstore.local.LocalStack;
import dev.docstore.local.LocalStorage;
import dev.docstore.local.ProjectFiles;
import dev.docstore.testing.RpcCounter;
import dev.docstore.testing.TestClock;
import dev.docstore.testing.TestTokens;
import io.grpc.ClientInterceptor;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local stack for one test class, on a fresh database and topic of the shared emulators,
 * serving every function over real HTTP. Register as a static field with
 * {@code @RegisterExtension}. Its Cloud Storage is a directory of its own under target/, removed
 * when the class ends. After every test it disarms the failpoints and asserts CONTRACT.md's
 * invariants over the whole database with the {@link InvariantChecker}.
 */
public final class Stack implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final Map<String, String> env = new HashMap<>();
  private final TestClock clock = TestClock.system();
  private final RpcCounter rpcs = new RpcCounter();
  private final SpannerLatency spannerLatency = new SpannerLatency();
  private Emulators emulators;
  private LocalStack stack;
  private Api api;
  private Events events;
  private Rows rows;
  private AnalyticsBridge bridge;
  private EmulatorAdmin admin;
  private String bridgeSubscription;
  /** The storage directory this extension made, and removes. */
  private Path ownedStorage;

  public Stack() {
    env.put("FAILPOINTS_ENABLED", "true");
    env.put("PUBLISH_TIMEOUT", "PT2S");
  }

  /**
   * Firebase ID tokens instead of dev headers: verified against {@code certs}, for the issuer and
   * audience of {@link TestTokens}.
   */
  public Stack firebaseAuth(TestTokens.CertServer certs) {
    return env("AUTH_MODE", "firebase")
        .env("AUTH_CERTS_URL", certs.url())
        .env("AUTH_ISSUER", TestTokens.ISSUER)
        .env("AUTH_AUDIENCE", TestTokens.PROJECT);
  }

  /** Sets an environment variable of the functions before the stack starts. */
  public Stack env(String name, String value) {
    env.put(name, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    emulators = SharedEmulators.get(context);
    int n = COUNTER.incrementAndGet();
    String suffix = n + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    env.put("SPANNER_DATABASE", "db-" + suffix);
    env.put("ANALYTICS_TOPIC", "events-" + suffix);
    if (!env.containsKey(LocalStorage.DIRECTORY_VARIABLE)) {
      ownedStorage = ProjectFiles.newStorageDirectory("stack-" + n);
      env.put(LocalStorage.DIRECTORY_VARIABLE, ownedStorage.toString());
    }
    startLocalStack();
    admin = new EmulatorAdmin(stack.config().projectId(), emulators.spannerHost(),
        emulators.pubsubHost());
    events = new Events(admin, stack.config().projectId(), stack.config().analyticsTopic(),
        "test-" + suffix);
    bridgeSubscription = "bridge-" + suffix;
    bridge = new AnalyticsBridge(admin, stack.config().projectId(),
        stack.config().analyticsTopic(), bridgeSubscription, stack.baseUrl());
  }

  /**
   * Stops the local stack and starts a new one on the same database, topic and storage
   * directory, on a new port, as a restarted process would: nothing of the old one's memory is
   * kept. Take {@link #api()} and {@link #local()} again afterwards.
   */
  public void restart() {
    stack.close();
    startLocalStack();
    bridge = new AnalyticsBridge(admin, stack.config().projectId(),
        stack.config().analyticsTopic(), bridgeSubscription, stack.baseUrl());
  }

  private void startLocalStack() {
    stack = LocalStack.start(emulators, env, clock, "127.0.0.1", 0,
        builder -> builder.spannerInterceptors(() -> {
          List<ClientInterceptor> interceptors = new ArrayList<>(rpcs.getInterceptors());
          interceptors.add(spannerLatency);
          return interceptors;
        }));
    api = new Api(stack.baseUrl());
    rows = new Rows(stack.docstore().databaseClient());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    spannerLatency.clear();
    stack.docstore().failpoints().clear();
    java.util.List<String> violations = invariants().violations();
    if (!violations.isEmpty()) {
      throw new AssertionError("invariants violated after "
          + context.getDisplayName() + ":\n  " + String.join("\n  ", violations));
    }
  }

  public InvariantChecker invariants() {
    return new InvariantChecker(stack.docstore().databaseClient(), stack.docstore().content());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (events != null) {
      events.close();
    }
    if (stack != null) {
      stack.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (ownedStorage != null) {
      ProjectFiles.deleteTree(ownedStorage);
    }
  }

  /** Eventarc's delivery, by hand: POSTs a message to /analyticsSubscriber as a CloudEvent. */
  public boolean deliver(PubsubMessage message) {
    return bridge.deliver(message);
  }

  /** The HTTP request Eventarc sends for a message: a binary-mode CloudEvent. */
  public HttpRequest eventarcRequest(PubsubMessage message) {
    return bridge.cloudEvent(message);
  }

  /**
   * Settles every outbox row written so far, as the deployed subscriber and relay would: delivers
   * what is on the wire to the subscriber, then runs the relay (which marks what was counted and
   * publishes what was not) and delivers what it sent. A test that counts the relay's work on its
   * own writes starts from here, so that earlier tests' rows do not count.
   */
  public void settleOutbox() {
    events.drain(200).forEach(m -> deliver(m.getMessage()));
    relayAfterGracePeriod();
    events.drain(200).forEach(m -> deliver(m.getMessage()));
  }

  /** Runs the relay as Cloud Scheduler would, after moving the clock past the grace period. */
  public Api.Response relayAfterGracePeriod() {
    clock.advance(stack.config().outboxGracePeriod().plusSeconds(1));
    return api.post(PUBLISH_OUTBOX).tenant(null).send();
  }

  /** Latency on the answers of the functions' Spanner RPCs; cleared after every test. */
  SpannerLatency spannerLatency() {
    return spannerLatency;
  }

  /** Spanner RPCs the functions have sent, by method. */
  public RpcCounter rpcs() {
    return rpcs;
  }

  public Api api() {
    return api;
  }

  public Events events() {
    return events;
  }

  public Rows rows() {
    return rows;
  }

  public LocalStack local() {
    return stack;
  }

  public EmulatorAdmin admin() {
    return admin;
  }

  public Emulators emulators() {
    return emulators;
  }

  public TestClock clock() {
    return clock;
  }

  public Clock systemClock() {
    return Clock.systemUTC();
  }
}

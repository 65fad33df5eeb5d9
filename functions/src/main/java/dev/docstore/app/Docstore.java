package dev.docstore.app;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcInterceptorProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.SessionPoolOptions;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.common.base.Suppliers;
import com.google.pubsub.v1.TopicName;
import dev.docstore.api.Operation;
import dev.docstore.auth.Authenticator;
import dev.docstore.auth.DevAuthenticator;
import dev.docstore.auth.FirebaseAuthenticator;
import dev.docstore.config.Config;
import dev.docstore.config.ConfigException;
import dev.docstore.documents.CreateDocumentOperation;
import dev.docstore.documents.DeleteDocumentOperation;
import dev.docstore.documents.DocumentReads;
import dev.docstore.documents.RestoreDocumentOperation;
import dev.docstore.documents.TrashPurge;
import dev.docstore.documents.UpdateDocumentOperation;
import dev.docstore.failpoints.Failpoints;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.HttpEndpoints;
import dev.docstore.http.RequestDeadline;
import dev.docstore.http.Routes;
import dev.docstore.idempotency.Idempotency;
import dev.docstore.logging.JulBridge;
import dev.docstore.outbox.EventJson;
import dev.docstore.outbox.EventPublisher;
import dev.docstore.outbox.OutboxDelivery;
import dev.docstore.outbox.OutboxRelay;
import dev.docstore.store.ContentStore;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.OutboxStore;
import dev.docstore.store.TrashStore;
import dev.docstore.store.UsageStore;
import dev.docstore.usage.AnalyticsDelivery;
import dev.docstore.usage.UsageReads;
import dev.docstore.versions.CreateDocumentVersionOperation;
import dev.docstore.versions.DeleteDocumentVersionOperation;
import dev.docstore.versions.ObjectLifecycle;
import dev.docstore.versions.RestoreDocumentVersionOperation;
import dev.docstore.versions.SetActiveVersionOperation;
import dev.docstore.versions.VersionReads;
import dev.docstore.write.WriteOperation;
import dev.docstore.write.WriteShape;
import io.cloudevents.CloudEvent;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The composition root of one function instance. Configuration is read once; every object of
 * the graph (the clients: Spanner, Storage, Publisher, ObjectMapper; the stores, the outbox, the
 * write shape, the flows, one endpoint per operation) is built once, lazily, on first use, as
 * Google recommends for functions, and gets exactly what it needs in its constructor. A function
 * class is one line: {@code Docstore.shared().serve(Operation.X, request, response)}.
 */
public final class Docstore implements AutoCloseable {
  private static final Duration MIN_PUBLISHER_TOTAL_TIMEOUT = Duration.ofSeconds(10);
  private static volatile Docstore shared;

  static {
    // Before any client is built: the clients' java.util.logging lines become JSON lines too.
    JulBridge.install();
  }

  private final Config config;
  private final Clock clock;
  private final Failpoints failpoints;
  private final Authenticator authenticator;
  private final SpannerOptions spannerOptions;
  private volatile boolean spannerBuilt;
  private volatile boolean publisherBuilt;
  private volatile boolean channelBuilt;
  private volatile boolean deadlineBuilt;

  // ---- the clients ----
  private final Supplier<ObjectMapper> json;
  private final Supplier<Spanner> spanner;
  private final Supplier<DatabaseClient> databaseClient;
  private final Supplier<Storage> storage;
  private final Supplier<ManagedChannel> pubsubChannel;
  private final Supplier<Publisher> publisher;

  // ---- the graph ----
  private final Supplier<DocumentStore> documents;
  private final Supplier<ContentStore> content;
  private final Supplier<OutboxStore> outboxStore;
  private final Supplier<UsageStore> usageStore;
  private final Supplier<EventJson> eventJson;
  private final Supplier<OutboxDelivery> delivery;
  private final Supplier<OutboxRelay> relay;
  private final Supplier<WriteShape> writeShape;
  private final Supplier<ObjectLifecycle> objects;
  private final Supplier<RequestDeadline> deadline;
  private final Supplier<HttpEndpoints> endpoints;
  private final Supplier<AnalyticsDelivery> analytics;
  private final Map<Operation, Supplier<HttpEndpoint>> endpointByOperation =
      new EnumMap<>(Operation.class);
  private final Supplier<HttpEndpoint> unknownPath;

  private Docstore(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.failpoints = Failpoints.from(config);
    this.authenticator = b.authenticator != null ? b.authenticator
        : config.authMode() == Config.AuthMode.DEV ? new DevAuthenticator()
        : new FirebaseAuthenticator(config, clock);
    this.spannerOptions = spannerOptions(config, b.spannerInterceptors);

    this.json = lazy(() -> newObjectMapper(config));
    this.spanner = lazy(() -> {
      ClientCounters.SPANNER.incrementAndGet();
      spannerBuilt = true;
      return spannerOptions.getService();
    });
    this.databaseClient = lazy(() -> spanner.get().getDatabaseClient(
        DatabaseId.of(config.projectId(), config.spannerInstance(), config.spannerDatabase())));
    Storage injected = b.storage;
    this.storage = lazy(() -> {
      ClientCounters.STORAGE.incrementAndGet();
      return injected != null ? injected : newStorage(config);
    });
    this.pubsubChannel = lazy(() -> {
      channelBuilt = true;
      return ManagedChannelBuilder.forTarget(config.pubsubEmulatorHost().orElseThrow())
          .usePlaintext().build();
    });
    this.publisher = lazy(this::newPublisher);

    this.documents = lazy(() -> new DocumentStore(databaseClient.get()));
    this.content = lazy(() -> new ContentStore(storage.get(), config.contentBucket()));
    this.outboxStore = lazy(() -> new OutboxStore(databaseClient.get()));
    this.usageStore = lazy(() -> new UsageStore(databaseClient.get()));
    this.eventJson = lazy(() -> new EventJson(json.get()));
    this.delivery = lazy(() -> new OutboxDelivery(
        new EventPublisher(publisher, eventJson.get(), config.publishTimeout()),
        outboxStore.get()));
    this.relay = lazy(() -> new OutboxRelay(outboxStore.get(), delivery.get(), clock,
        config.outboxGracePeriod()));
    this.writeShape = lazy(() -> new WriteShape(databaseClient.get(),
        new Idempotency(config.idempotencyTtl()), delivery.get(), failpoints, json.get(), clock));
    this.objects = lazy(() -> new ObjectLifecycle(documents.get(), content.get()));
    this.deadline = lazy(() -> {
      deadlineBuilt = true;
      return new RequestDeadline(config.requestDeadline());
    });
    this.endpoints = lazy(() -> new HttpEndpoints(config, authenticator, json.get(),
        deadline.get()));
    this.analytics = lazy(() -> new AnalyticsDelivery(usageStore.get(), json.get(),
        eventJson.get()));
    this.unknownPath = lazy(() -> endpoints.get().unknownPath());
    for (Operation op : Operation.values()) {
      if (op.trigger() != Operation.Trigger.CLOUD_EVENT) {
        // The handler, and with it every client it needs, is built by the first request that
        // gets past the method and credential checks: a preflight, a 405 or a 401 builds none.
        endpointByOperation.put(op,
            lazy(() -> endpoints.get().endpoint(op, lazy(() -> handler(op)))));
      }
    }
  }

  /** What each HTTP operation runs. A new operation without a line here does not compile. */
  private HttpEndpoint.Handler handler(Operation op) {
    long maxContent = config.maxContentBytes();
    return switch (op) {
      case CREATE_DOCUMENT -> write(op, new CreateDocumentOperation(content.get(), maxContent));
      case CREATE_DOCUMENT_VERSION -> write(op,
          new CreateDocumentVersionOperation(content.get(), objects.get(), maxContent));
      case SET_ACTIVE_VERSION -> write(op, new SetActiveVersionOperation());
      case DELETE_DOCUMENT_VERSION -> write(op, new DeleteDocumentVersionOperation(objects.get()));
      case RESTORE_DOCUMENT_VERSION -> write(op,
          new RestoreDocumentVersionOperation(documents.get(), content.get(), objects.get()));
      case UPDATE_DOCUMENT -> write(op, new UpdateDocumentOperation());
      case DELETE_DOCUMENT -> write(op, new DeleteDocumentOperation());
      case RESTORE_DOCUMENT -> write(op, new RestoreDocumentOperation());
      case GET_DOCUMENT -> Routes.getDocument(new DocumentReads(documents.get()));
      case LIST_VERSIONS -> Routes.listVersions(new DocumentReads(documents.get()));
      case LIST_DOCUMENTS -> Routes.listDocuments(new DocumentReads(documents.get()));
      case GET_VERSION_CONTENT ->
          Routes.getVersionContent(new VersionReads(documents.get(), content.get()));
      case GET_USAGE -> Routes.getUsage(new UsageReads(usageStore.get()));
      case PUBLISH_OUTBOX -> Routes.publishOutbox(relay.get());
      case PURGE_TRASH -> Routes.purgeTrash(new TrashPurge(writeShape.get(),
          new TrashStore(databaseClient.get()), content.get(), clock, config.trashRetention(),
          config.requestDeadline().dividedBy(2)));
      case ANALYTICS_SUBSCRIBER -> throw new IllegalArgumentException(
          op.functionName() + " is a CloudEvent function");
    };
  }

  private HttpEndpoint.Handler write(Operation op, WriteOperation<?> write) {
    if (write.operation() != op) {
      throw new IllegalStateException(op.functionName() + " is bound to another write");
    }
    return Routes.write(writeShape.get(), write, json.get());
  }

  /** The process-wide instance the function classes use, built on the first call. */
  public static Docstore shared() {
    Docstore current = shared;
    if (current == null) {
      synchronized (Docstore.class) {
        current = shared;
        if (current == null) {
          current = builder(Config.fromEnv(System.getenv())).build();
          shared = current;
        }
      }
    }
    return current;
  }

  /**
   * Makes {@code docstore} the instance that the function classes use. For hosts that embed the
   * functions in one JVM: the local stack and the tests.
   */
  public static void install(Docstore docstore) {
    shared = docstore;
  }

  public static Builder builder(Config config) {
    return new Builder(config);
  }

  /** Serves one request of an HTTP operation. */
  public void serve(Operation operation, HttpRequest request, HttpResponse response)
      throws IOException {
    Supplier<HttpEndpoint> endpoint = endpointByOperation.get(operation);
    if (endpoint == null) {
      throw new IllegalArgumentException(operation.functionName() + " is not an HTTP function");
    }
    endpoint.get().serve(request, response);
  }

  /**
   * Answers a request for a path no function serves: 404 not_found problem+json, for hosts that
   * put several functions under one server (the local stack). Deployed, each function has its
   * own URL and answers every path below it itself.
   */
  public void serveUnknownPath(HttpRequest request, HttpResponse response) throws IOException {
    unknownPath.get().serve(request, response);
  }

  /**
   * The problem+json answer for a request the host's own server refused with {@code status}
   * before any function ran (one it could not parse), so that it too answers in this format.
   */
  public HttpEndpoints.ServerProblem serverProblem(int status, Optional<String> requestIdHeader) {
    return endpoints.get().serverProblem(status, requestIdHeader);
  }

  /** Delivers one analytics CloudEvent to the usage counters. */
  public void deliver(CloudEvent event) {
    // Bounded like every HTTP request: a delivery that cannot finish in time fails, and
    // Eventarc redelivers it (the subscriber dedupes by eventId).
    deadline.get().within(() -> {
      analytics.get().deliver(event);
      return null;
    });
  }

  // ---- for hosts and tests: what they inspect or steer ----

  public Config config() {
    return config;
  }

  public Failpoints failpoints() {
    return failpoints;
  }

  public DatabaseClient databaseClient() {
    return databaseClient.get();
  }

  public ContentStore content() {
    return content.get();
  }

  @Override
  public void close() {
    if (publisherBuilt) {
      Publisher p = publisher.get();
      p.shutdown();
      try {
        p.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (channelBuilt) {
      pubsubChannel.get().shutdownNow();
    }
    if (spannerBuilt) {
      spanner.get().close();
    }
    if (deadlineBuilt) {
      deadline.get().close();
    }
  }

  private static <T> Supplier<T> lazy(Supplier<T> build) {
    return Suppliers.memoize(build::get);
  }

  private static SpannerOptions spannerOptions(Config config,
      GrpcInterceptorProvider interceptors) {
    SpannerOptions.Builder builder = SpannerOptions.newBuilder()
        .setProjectId(config.projectId())
        // The client's defaults suit a long-lived server: 4 channels and a pool warmed to 100
        // sessions, which the first request (the client is built lazily) would pay for in
        // BatchCreateSessions calls on every channel. An instance serves few requests at a time
        // (function_concurrency, 1 by default) and runs its transactions on multiplexed
        // sessions, so one channel (an HTTP/2 connection carries 100 concurrent streams) and
        // sessions made on demand are all it uses.
        .setNumChannels(1)
        .setSessionPoolOption(SessionPoolOptions.newBuilder().setMinSessions(0).build());
    config.spannerEmulatorHost().ifPresent(host ->
        builder.setEmulatorHost(host).setBuiltInMetricsEnabled(false));
    if (interceptors != null) {
      builder.setInterceptorProvider(interceptors);
    }
    SpannerOptions options = builder.build();
    // Emulator 1.5.28 mishandles multiplexed read-write sessions: concurrent transactions then
    // fail with "Transaction not found" instead of being retried (docs/EMULATORS.md, the pom's pin).
    if (config.onEmulator() && options.getSessionPoolOptions().getUseMultiplexedSessionForRW()) {
      throw new ConfigException(
          "against the Spanner emulator, set GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW=false"
              + " (the emulator aborts multiplexed read-write transactions unrecoverably)");
    }
    return options;
  }

  /**
   * The HTTP/JSON Storage client takes no per-call deadline: its retries and each connection and
   * read are bounded by REQUEST_DEADLINE here, and the content store refuses to start a call once
   * the request's deadline has passed, so no storage call outlives a request by more than that.
   */
  private static Storage newStorage(Config config) {
    Duration deadline = config.requestDeadline();
    int timeoutMillis = (int) deadline.toMillis();
    StorageOptions.Builder builder = StorageOptions.newBuilder()
        .setRetrySettings(ServiceOptions.getDefaultRetrySettings().toBuilder()
            .setTotalTimeoutDuration(deadline)
            .build())
        .setTransportOptions(StorageOptions.getDefaultHttpTransportOptions().toBuilder()
            .setConnectTimeout(timeoutMillis)
            .setReadTimeout(timeoutMillis)
            .build());
    if (config.storageEmulatorHost().isPresent()) {
      String host = config.storageEmulatorHost().get();
      builder.setHost(host.startsWith("http") ? host : "http://" + host)
          .setProjectId(config.projectId())
          .setCredentials(NoCredentials.getInstance());
    }
    return builder.build().getService();
  }

  private Publisher newPublisher() {
    ClientCounters.PUBLISHER.incrementAndGet();
    // The publisher refuses a total timeout under 10 s; the caller's wait on the future is what
    // bounds a write to PUBLISH_TIMEOUT. A publish still retrying past it is harmless: the row
    // stays pending, the relay republishes, and the subscriber dedupes by eventId.
    Duration timeout = config.publishTimeout().compareTo(MIN_PUBLISHER_TOTAL_TIMEOUT) < 0
        ? MIN_PUBLISHER_TOTAL_TIMEOUT : config.publishTimeout();
    Publisher.Builder builder = Publisher.newBuilder(
            TopicName.of(config.projectId(), config.analyticsTopic()))
        // Bounded: the default retries for 10 minutes while Pub/Sub is down (docs/EMULATORS.md).
        .setRetrySettings(RetrySettings.newBuilder()
            .setInitialRetryDelayDuration(Duration.ofMillis(50))
            .setRetryDelayMultiplier(2.0)
            .setMaxRetryDelayDuration(Duration.ofSeconds(1))
            .setInitialRpcTimeoutDuration(config.publishTimeout())
            .setRpcTimeoutMultiplier(1.0)
            .setMaxRpcTimeoutDuration(config.publishTimeout())
            .setTotalTimeoutDuration(timeout)
            .build())
        // One event per write, sent at once rather than waiting to fill a batch.
        .setBatchingSettings(BatchingSettings.newBuilder()
            .setIsEnabled(true)
            .setElementCountThreshold(1L)
            .setRequestByteThreshold(1000L)
            .setDelayThresholdDuration(Duration.ofMillis(1))
            .build());
    if (config.pubsubEmulatorHost().isPresent()) {
      // The Java client ignores PUBSUB_EMULATOR_HOST; wire the emulator explicitly.
      builder.setChannelProvider(FixedTransportChannelProvider.create(
              GrpcTransportChannel.create(pubsubChannel.get())))
          .setCredentialsProvider(NoCredentialsProvider.create());
    }
    try {
      Publisher built = builder.build();
      publisherBuilt = true;
      return built;
    } catch (IOException e) {
      throw new IllegalStateException("cannot build the Pub/Sub publisher", e);
    }
  }

  private static ObjectMapper newObjectMapper(Config config) {
    ClientCounters.OBJECT_MAPPER.incrementAndGet();
    JsonMapper mapper = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
    long maxString = Math.min(Integer.MAX_VALUE, config.maxContentBytes() * 6 + 1024);
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxStringLength((int) Math.max(maxString, 20_000_000)).build());
    return mapper;
  }

  public static final class Builder {
    private final Config config;
    private Clock clock = Clock.systemUTC();
    private Storage storage;
    private Authenticator authenticator;
    private GrpcInterceptorProvider spannerInterceptors;

    private Builder(Config config) {
      this.config = config;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** A Storage to use instead of one built from the configuration (local stack, tests). */
    public Builder storage(Storage storage) {
      this.storage = storage;
      return this;
    }

    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = authenticator;
      return this;
    }

    /** gRPC interceptors on the Spanner channel, e.g. to count RPCs. */
    public Builder spannerInterceptors(GrpcInterceptorProvider interceptors) {
      this.spannerInterceptors = interceptors;
      return this;
    }

    public Docstore build() {
      return new Docstore(this);
    }
  }
}

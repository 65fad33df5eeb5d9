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
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.common.base.Suppliers;
import com.google.pubsub.v1.TopicName;
import dev.docstore.auth.Authenticator;
import dev.docstore.auth.DevAuthenticator;
import dev.docstore.auth.FirebaseAuthenticator;
import dev.docstore.config.Config;
import dev.docstore.config.ConfigException;
import dev.docstore.failpoints.Failpoints;
import dev.docstore.outbox.EventPublisher;
import dev.docstore.outbox.OutboxRelay;
import dev.docstore.outbox.OutboxStore;
import dev.docstore.store.ContentStore;
import dev.docstore.store.DocumentStore;
import dev.docstore.write.WriteShape;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The composition root of one function instance: configuration read once, and the clients
 * (Spanner, Storage, Publisher, ObjectMapper) each built once, lazily, on first use. Function
 * classes take one in their constructor; their no-arg constructors use {@link #shared()}.
 */
public final class Docstore implements AutoCloseable {
  private static final Duration MIN_PUBLISHER_TOTAL_TIMEOUT = Duration.ofSeconds(10);
  private static volatile Docstore shared;

  private final Config config;
  private final Clock clock;
  private final Failpoints failpoints;
  private final Authenticator authenticator;
  private final SpannerOptions spannerOptions;
  private final Supplier<ObjectMapper> json;
  private final Supplier<Spanner> spanner;
  private final Supplier<DatabaseClient> databaseClient;
  private final Supplier<Storage> storage;
  private final Supplier<ManagedChannel> pubsubChannel;
  private final Supplier<Publisher> publisher;
  private final Supplier<WriteShape> writeShape;
  private volatile boolean spannerBuilt;
  private volatile boolean publisherBuilt;
  private volatile boolean channelBuilt;

  private Docstore(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.failpoints = Failpoints.from(config);
    this.authenticator = b.authenticator != null ? b.authenticator
        : config.authMode() == Config.AuthMode.DEV ? new DevAuthenticator()
        : new FirebaseAuthenticator(config, clock);
    this.spannerOptions = spannerOptions(config, b.spannerInterceptors);
    this.json = Suppliers.memoize(() -> newObjectMapper(config));
    this.spanner = Suppliers.memoize(() -> {
      ClientCounters.SPANNER.incrementAndGet();
      spannerBuilt = true;
      return spannerOptions.getService();
    });
    this.databaseClient = Suppliers.memoize(() -> spanner.get().getDatabaseClient(
        DatabaseId.of(config.projectId(), config.spannerInstance(), config.spannerDatabase())));
    Storage injected = b.storage;
    this.storage = Suppliers.memoize(() -> {
      ClientCounters.STORAGE.incrementAndGet();
      return injected != null ? injected : newStorage(config);
    });
    this.pubsubChannel = Suppliers.memoize(() -> {
      channelBuilt = true;
      return ManagedChannelBuilder.forTarget(config.pubsubEmulatorHost().orElseThrow())
          .usePlaintext().build();
    });
    this.publisher = Suppliers.memoize(this::newPublisher);
    this.writeShape = Suppliers.memoize(() -> new WriteShape(databaseClient.get(),
        new EventPublisher(publisher, json.get(), config.publishTimeout()), failpoints,
        json.get(), clock, config.idempotencyTtl()));
  }

  /** The process-wide instance the no-arg function constructors use. */
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
   * Makes {@code docstore} the instance that no-arg function constructors use. For hosts that
   * embed the functions in one JVM: the local stack and the tests.
   */
  public static void install(Docstore docstore) {
    shared = docstore;
  }

  public static Builder builder(Config config) {
    return new Builder(config);
  }

  public Config config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  public Failpoints failpoints() {
    return failpoints;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public ObjectMapper json() {
    return json.get();
  }

  public DatabaseClient databaseClient() {
    return databaseClient.get();
  }

  public DocumentStore documents() {
    return new DocumentStore(databaseClient.get());
  }

  public ContentStore content() {
    return new ContentStore(storage.get(), config.contentBucket());
  }

  public OutboxStore outbox() {
    return new OutboxStore(databaseClient.get());
  }

  public EventPublisher eventPublisher() {
    return new EventPublisher(publisher, json.get(), config.publishTimeout());
  }

  public OutboxRelay outboxRelay() {
    return new OutboxRelay(outbox(), eventPublisher(), clock, config.outboxGracePeriod());
  }

  public WriteShape writeShape() {
    return writeShape.get();
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
  }

  private static SpannerOptions spannerOptions(Config config,
      GrpcInterceptorProvider interceptors) {
    SpannerOptions.Builder builder = SpannerOptions.newBuilder()
        .setProjectId(config.projectId());
    config.spannerEmulatorHost().ifPresent(host ->
        builder.setEmulatorHost(host).setBuiltInMetricsEnabled(false));
    if (interceptors != null) {
      builder.setInterceptorProvider(interceptors);
    }
    SpannerOptions options = builder.build();
    // Emulator 1.5.28 mishandles multiplexed read-write sessions: concurrent transactions then
    // fail with "Transaction not found" instead of being retried (FIELD-NOTES, the pom's pin).
    if (config.onEmulator() && options.getSessionPoolOptions().getUseMultiplexedSessionForRW()) {
      throw new ConfigException(
          "against the Spanner emulator, set GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW=false"
              + " (the emulator aborts multiplexed read-write transactions unrecoverably)");
    }
    return options;
  }

  private static Storage newStorage(Config config) {
    if (config.storageEmulatorHost().isPresent()) {
      String host = config.storageEmulatorHost().get();
      return StorageOptions.newBuilder()
          .setHost(host.startsWith("http") ? host : "http://" + host)
          .setProjectId(config.projectId())
          .setCredentials(NoCredentials.getInstance())
          .build()
          .getService();
    }
    return StorageOptions.getDefaultInstance().getService();
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
        // Bounded: the default retries for 10 minutes while Pub/Sub is down (FIELD-NOTES).
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

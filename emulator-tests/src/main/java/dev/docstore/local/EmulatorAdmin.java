package dev.docstore.local;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerException;
import com.google.cloud.spanner.SpannerOptions;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Creates what the stack needs on the emulators: instance, databases from schema.sql, topics. */
public final class EmulatorAdmin implements AutoCloseable {
  private final String project;
  private final Spanner spanner;
  private final String pubsubHost;

  public EmulatorAdmin(String project, String spannerHost, String pubsubHost) {
    this.project = project;
    this.pubsubHost = pubsubHost;
    this.spanner = SpannerOptions.newBuilder()
        .setProjectId(project)
        .setEmulatorHost(spannerHost)
        .setBuiltInMetricsEnabled(false)
        .build()
        .getService();
  }

  public void createInstanceIfMissing(String instance) {
    try {
      spanner.getInstanceAdminClient().createInstance(
          InstanceInfo.newBuilder(InstanceId.of(project, instance))
              .setInstanceConfigId(InstanceConfigId.of(project, "emulator-config"))
              .setDisplayName(instance)
              .setNodeCount(1)
              .build()).get();
    } catch (ExecutionException e) {
      if (!alreadyExists(e.getCause())) {
        throw new IllegalStateException("cannot create the Spanner instance", e.getCause());
      }
    } catch (SpannerException e) {
      if (e.getErrorCode() != ErrorCode.ALREADY_EXISTS) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates the database from exactly infra/spanner/schema.sql; false if it already existed. */
  public boolean createDatabaseIfMissing(String instance, String database) {
    List<String> ddl = Schema.statements();
    try {
      spanner.getDatabaseAdminClient().createDatabase(instance, database, ddl).get();
      return true;
    } catch (ExecutionException e) {
      if (alreadyExists(e.getCause())) {
        return false;
      }
      throw new IllegalStateException("cannot create the database", e.getCause());
    } catch (SpannerException e) {
      if (e.getErrorCode() == ErrorCode.ALREADY_EXISTS) {
        return false;
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public void dropDatabase(String instance, String database) {
    spanner.getDatabaseAdminClient().dropDatabase(instance, database);
  }

  public DatabaseId databaseId(String instance, String database) {
    return DatabaseId.of(project, instance, database);
  }

  public void createTopicIfMissing(String topic) {
    withTopicAdmin(admin -> {
      try {
        admin.createTopic(TopicName.of(project, topic));
      } catch (AlreadyExistsException e) {
        // already there
      }
    });
  }

  public void createSubscriptionIfMissing(String topic, String subscription) {
    ManagedChannel channel = channel();
    try (SubscriptionAdminClient admin = SubscriptionAdminClient.create(
        SubscriptionAdminSettings.newBuilder()
            .setTransportChannelProvider(provider(channel))
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build())) {
      admin.createSubscription(SubscriptionName.of(project, subscription),
          TopicName.of(project, topic), PushConfig.getDefaultInstance(), 10);
    } catch (AlreadyExistsException e) {
      // already there
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      shutdown(channel);
    }
  }

  private void withTopicAdmin(java.util.function.Consumer<TopicAdminClient> action) {
    ManagedChannel channel = channel();
    try (TopicAdminClient admin = TopicAdminClient.create(TopicAdminSettings.newBuilder()
        .setTransportChannelProvider(provider(channel))
        .setCredentialsProvider(NoCredentialsProvider.create())
        .build())) {
      action.accept(admin);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      shutdown(channel);
    }
  }

  public ManagedChannel channel() {
    return ManagedChannelBuilder.forTarget(pubsubHost).usePlaintext().build();
  }

  public static TransportChannelProvider provider(ManagedChannel channel) {
    return FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
  }

  private static void shutdown(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean alreadyExists(Throwable t) {
    return t instanceof SpannerException se && se.getErrorCode() == ErrorCode.ALREADY_EXISTS;
  }

  @Override
  public void close() {
    spanner.close();
  }
}

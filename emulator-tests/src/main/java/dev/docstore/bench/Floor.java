package dev.docstore.bench;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Value;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The floor a write is measured against: only the work no write can avoid, with no HTTP, no
 * parsing and no framework. One read-write transaction whose first statement reads an
 * idempotency record and a document row by key (inline begin, one round trip), buffers two
 * mutations and commits; then one publish of a message the size of an event, waited for.
 */
final class Floor implements AutoCloseable {
  private static final String FIRST_READ = "SELECT"
      + " ARRAY(SELECT AS STRUCT Fingerprint, ResponseBody FROM IdempotencyRecords"
      + " WHERE TenantId = @tenantId AND IdempotencyKey = @key) AS idempotency,"
      + " ARRAY(SELECT AS STRUCT DocumentId, LatestVersion FROM Documents"
      + " WHERE TenantId = @tenantId AND DocumentId = @documentId) AS document";

  private final DatabaseClient db;
  private final ManagedChannel channel;
  private final Publisher publisher;

  Floor(DatabaseClient db, String project, String topic, String pubsubHost) throws IOException {
    this.db = db;
    this.channel = ManagedChannelBuilder.forTarget(pubsubHost).usePlaintext().build();
    this.publisher = Publisher.newBuilder(TopicName.of(project, topic))
        .setChannelProvider(FixedTransportChannelProvider.create(
            GrpcTransportChannel.create(channel)))
        .setCredentialsProvider(NoCredentialsProvider.create())
        .build();
  }

  /** Times {@code n} floor writes in {@code tenant}, after two untimed ones. */
  Samples measure(String tenant, int n) throws Exception {
    Samples samples = new Samples();
    for (int i = 0; i < n + 2; i++) {
      long start = System.nanoTime();
      once(tenant);
      if (i >= 2) {
        samples.add((System.nanoTime() - start) / 1e6);
      }
    }
    return samples;
  }

  private void once(String tenant) throws Exception {
    String key = "floor-" + UUID.randomUUID();
    String eventId = UUID.randomUUID().toString();
    db.readWriteTransaction().run(tx -> {
      try (ResultSet rs = tx.executeQuery(Statement.newBuilder(FIRST_READ)
          .bind("tenantId").to(tenant)
          .bind("key").to(key)
          .bind("documentId").to(UUID.randomUUID().toString())
          .build())) {
        rs.next();
      }
      tx.buffer(List.of(
          Mutation.newInsertBuilder("IdempotencyRecords")
              .set("TenantId").to(tenant).set("IdempotencyKey").to(key)
              .set("Operation").to("floor").set("Fingerprint").to(key)
              .set("ResponseStatus").to(200).set("ResponseBody").to("{}")
              .set("CreatedAt").to(Value.COMMIT_TIMESTAMP)
              .set("ExpiresAt").to(com.google.cloud.Timestamp.ofTimeSecondsAndNanos(
                  System.currentTimeMillis() / 1000 + 3600, 0))
              .build(),
          Mutation.newInsertBuilder("ProcessedEvents")
              .set("TenantId").to(tenant).set("EventId").to(eventId)
              .set("ProcessedAt").to(Value.COMMIT_TIMESTAMP)
              .build()));
      return null;
    });
    String event = "{\"eventId\":\"" + eventId + "\",\"type\":\"floor\",\"tenantId\":\""
        + tenant + "\",\"documentId\":\"" + UUID.randomUUID() + "\",\"version\":1,"
        + "\"requestId\":\"" + UUID.randomUUID() + "\",\"occurredAt\":\"2026-12-01T00:00:00Z\"}";
    publisher.publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(event))
        .putAttributes("eventId", eventId).build()).get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    publisher.shutdown();
    publisher.awaitTermination(5, TimeUnit.SECONDS);
    channel.shutdownNow();
  }
}

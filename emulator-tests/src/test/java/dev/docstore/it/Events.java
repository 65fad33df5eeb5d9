package dev.docstore.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import dev.docstore.local.EmulatorAdmin;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A pull subscription on the test class's analytics topic: what was actually published. */
public final class Events implements AutoCloseable {
  private final EmulatorAdmin admin;
  private final String topic;
  private final String subscriptionId;
  private final String subscription;
  private ManagedChannel channel;
  private SubscriberStub stub;

  Events(EmulatorAdmin admin, String project, String topic, String subscription) {
    this.admin = admin;
    this.topic = topic;
    this.subscriptionId = subscription;
    this.subscription = SubscriptionName.of(project, subscription).toString();
    connect();
  }

  /** After a Pub/Sub emulator restart: recreate the topic and subscription, reconnect. */
  public void reconnect() {
    close();
    admin.createTopicIfMissing(topic);
    connect();
  }

  private void connect() {
    admin.createSubscriptionIfMissing(topic, subscriptionId);
    channel = admin.channel();
    try {
      stub = GrpcSubscriberStub.create(SubscriberStubSettings.newBuilder()
          .setTransportChannelProvider(EmulatorAdmin.provider(channel))
          .setCredentialsProvider(NoCredentialsProvider.create())
          .build());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Everything published so far, acknowledged: pulls until a quiet period passes. */
  public List<ReceivedMessage> drain(long quietMillis) {
    List<ReceivedMessage> all = new ArrayList<>();
    long quietUntil = System.currentTimeMillis() + quietMillis;
    while (System.currentTimeMillis() < quietUntil) {
      PullResponse response = stub.pullCallable().call(PullRequest.newBuilder()
          .setSubscription(subscription).setMaxMessages(100).setReturnImmediately(true).build());
      if (response.getReceivedMessagesCount() == 0) {
        sleep(50);
        continue;
      }
      List<String> acks = new ArrayList<>();
      for (ReceivedMessage m : response.getReceivedMessagesList()) {
        all.add(m);
        acks.add(m.getAckId());
      }
      stub.acknowledgeCallable().call(AcknowledgeRequest.newBuilder()
          .setSubscription(subscription).addAllAckIds(acks).build());
      quietUntil = System.currentTimeMillis() + quietMillis;
    }
    return all;
  }

  /** The event bodies published so far, as JSON. */
  public List<JsonNode> drainJson() {
    List<JsonNode> events = new ArrayList<>();
    for (ReceivedMessage m : drain(400)) {
      try {
        events.add(Api.JSON.readTree(m.getMessage().getData().toByteArray()));
      } catch (IOException e) {
        throw new AssertionError("an event is not JSON", e);
      }
    }
    return events;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stub.close();
    channel.shutdownNow();
  }
}

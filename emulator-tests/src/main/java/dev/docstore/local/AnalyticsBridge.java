package dev.docstore.local;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.protobuf.util.Timestamps;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import dev.docstore.usage.AnalyticsDelivery;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eventarc, locally: pulls the analytics subscription and POSTs each message to
 * {@code /analyticsSubscriber} as the binary-mode CloudEvent
 * {@code google.cloud.pubsub.topic.v1.messagePublished} that Eventarc delivers. A message is
 * acknowledged only on a 2xx. When the Pub/Sub emulator restarts (and forgets its topics), the
 * loop recreates the topic and subscription and carries on.
 */
public final class AnalyticsBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("docstore.local");

  private final EmulatorAdmin admin;
  private final String project;
  private final String topic;
  private final String subscription;
  private final URI target;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private volatile boolean running = true;
  private Thread thread;

  public AnalyticsBridge(EmulatorAdmin admin, String project, String topic, String subscription,
      String baseUrl) {
    this.admin = admin;
    this.project = project;
    this.topic = topic;
    this.subscription = subscription;
    this.target = URI.create(baseUrl + "/analyticsSubscriber");
  }

  /** The CloudEvent HTTP request Eventarc sends for one Pub/Sub message. */
  public HttpRequest cloudEvent(PubsubMessage message) {
    ObjectNode body = json.createObjectNode();
    ObjectNode m = body.putObject("message");
    m.put("data", Base64.getEncoder().encodeToString(message.getData().toByteArray()));
    ObjectNode attributes = m.putObject("attributes");
    message.getAttributesMap().forEach(attributes::put);
    m.put("messageId", message.getMessageId());
    m.put("publishTime", Timestamps.toString(message.getPublishTime()));
    body.put("subscription", SubscriptionName.of(project, subscription).toString());
    String bytes;
    try {
      bytes = json.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return HttpRequest.newBuilder(target)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("ce-specversion", "1.0")
        .header("ce-id", message.getMessageId())
        .header("ce-type", AnalyticsDelivery.MESSAGE_PUBLISHED)
        .header("ce-source", "//pubsub.googleapis.com/" + TopicName.of(project, topic))
        .header("ce-time", Timestamps.toString(message.getPublishTime()))
        .POST(HttpRequest.BodyPublishers.ofString(bytes))
        .build();
  }

  /** Delivers one message as Eventarc would; true on a 2xx. */
  public boolean deliver(PubsubMessage message) {
    try {
      HttpResponse<String> response = http.send(cloudEvent(message),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs the pull loop on a daemon thread until {@link #close()}. */
  public AnalyticsBridge start() {
    thread = new Thread(this::loop, "analytics-bridge");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  private void loop() {
    long backoff = 200;
    while (running) {
      ManagedChannel channel = admin.channel();
      try (SubscriberStub stub = GrpcSubscriberStub.create(SubscriberStubSettings.newBuilder()
          .setTransportChannelProvider(EmulatorAdmin.provider(channel))
          .setCredentialsProvider(NoCredentialsProvider.create()).build())) {
        admin.createTopicIfMissing(topic);
        admin.createSubscriptionIfMissing(topic, subscription);
        backoff = 200;
        String name = SubscriptionName.of(project, subscription).toString();
        while (running) {
          PullResponse response = stub.pullCallable().call(PullRequest.newBuilder()
              .setSubscription(name).setMaxMessages(100).setReturnImmediately(true).build());
          List<String> acks = new ArrayList<>();
          for (ReceivedMessage received : response.getReceivedMessagesList()) {
            if (deliver(received.getMessage())) {
              acks.add(received.getAckId());
            }
          }
          if (!acks.isEmpty()) {
            stub.acknowledgeCallable().call(AcknowledgeRequest.newBuilder()
                .setSubscription(name).addAllAckIds(acks).build());
          }
          if (response.getReceivedMessagesCount() == 0) {
            Thread.sleep(50); // an idle pull loop: 20 cheap calls a second, locally
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // The emulator restarted or is down: back off, then recreate topic and subscription.
        LOG.warn("analytics bridge reconnecting", kv("reason", e.getClass().getSimpleName()),
            kv("backoffMs", backoff));
        sleepQuietly(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}

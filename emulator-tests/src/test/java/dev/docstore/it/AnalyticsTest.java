package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT;
import static dev.docstore.api.Operation.DELETE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_USAGE;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;
import static dev.docstore.api.Operation.UPDATE_DOCUMENT;
import static dev.docstore.api.Step.AFTER_COMMIT_BEFORE_PUBLISH;
import static dev.docstore.api.Step.BEFORE_COMMIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.Date;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Value;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.docstore.local.ProjectFiles;
import dev.docstore.store.Shards;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Analytics strictly after commit: emission rules, exactly-once counting, outage, crash. */
class AnalyticsTest {
  @RegisterExtension
  static final Stack STACK = new Stack().env("PUBLISH_TIMEOUT", "PT1S");

  private static final Schema SCHEMA = schema();

  private static Schema schema() {
    try (InputStream in = Files.newInputStream(
        ProjectFiles.root().resolve("docs/analytics-event.schema.json"))) {
      return SchemaRegistry.withDialect(Dialects.getDraft202012()).getSchema(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertValidEvent(JsonNode event) {
    List<Error> errors = SCHEMA.validate(event);
    assertTrue(errors.isEmpty(), "event " + event + " breaks the schema: " + errors);
  }

  private static String create(String tenant, String key) {
    Api.Request request = STACK.api().post(CREATE_DOCUMENT).tenant(tenant)
        .json(Map.of("title", "analytics", "content", "c-" + key));
    if (key != null) {
      request.key(key);
    }
    Api.Response r = request.send();
    assertEquals(201, r.status(), r.toString());
    return r.json().at("/document/documentId").asText();
  }

  private static long usage(String tenant, String operation) {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    Api.Response r = usageBetween(tenant, today, tomorrow);
    assertEquals(200, r.status(), r.toString());
    long total = 0;
    for (JsonNode day : r.json().get("days")) {
      if (operation == null || operation.equals(day.get("operation").asText())) {
        total += day.get("count").asLong();
      }
    }
    return total;
  }

  private static int deliverAll(List<ReceivedMessage> messages) {
    int delivered = 0;
    for (ReceivedMessage m : messages) {
      assertTrue(STACK.deliver(m.getMessage()), "the subscriber accepts the CloudEvent");
      delivered++;
    }
    return delivered;
  }

  @Test
  void everyWriteTypeEmitsOneSchemaValidEventAndRejectionsNone() {
    String t = "emission";
    STACK.events().drain(200);
    String id = create(t, "emit-1");
    create(t, "emit-1");
    STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(t)
        .json(Map.of("documentId", id, "content", "v2")).send();
    STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(t)
        .json(Map.of("documentId", id, "content", "v2")).send();
    STACK.api().post(SET_ACTIVE_VERSION).tenant(t)
        .json(Map.of("documentId", id, "version", 1)).send();
    STACK.api().post(DELETE_DOCUMENT_VERSION).tenant(t)
        .json(Map.of("documentId", id, "version", 2)).send();
    STACK.api().post(DELETE_DOCUMENT_VERSION).tenant(t)
        .json(Map.of("documentId", id, "version", 1)).send();
    STACK.api().post(RESTORE_DOCUMENT_VERSION).tenant(t)
        .json(Map.of("documentId", id, "version", 2)).send();
    STACK.local().docstore().failpoints().set(SET_ACTIVE_VERSION.failpoint(BEFORE_COMMIT), "1*error");
    assertEquals(503, STACK.api().post(SET_ACTIVE_VERSION).tenant(t)
        .json(Map.of("documentId", id, "version", 2)).send().status());
    Map<String, Object> rename = Map.of("documentId", id, "title", "renamed");
    assertEquals(200, STACK.api().post(UPDATE_DOCUMENT).tenant(t).key("emit-rename")
        .json(rename).send().status());
    assertTrue(STACK.api().post(UPDATE_DOCUMENT).tenant(t).key("emit-rename").json(rename).send()
        .replayed());
    Map<String, Object> onDocument = Map.of("documentId", id);
    assertEquals(200, STACK.api().post(DELETE_DOCUMENT).tenant(t).json(onDocument).send()
        .status());
    assertEquals(409, STACK.api().post(DELETE_DOCUMENT).tenant(t).json(onDocument).send()
        .status());
    assertEquals(409, STACK.api().post(UPDATE_DOCUMENT).tenant(t).json(rename).send().status(),
        "the trash is read-only");
    assertEquals(200, STACK.api().post(RESTORE_DOCUMENT).tenant(t).json(onDocument).send()
        .status());
    assertEquals(409, STACK.api().post(RESTORE_DOCUMENT).tenant(t).json(onDocument).send()
        .status());

    List<JsonNode> events = STACK.events().drainJson();
    List<String> types = new ArrayList<>();
    for (JsonNode event : events) {
      assertValidEvent(event);
      assertEquals(t, event.get("tenantId").asText());
      assertEquals(id, event.get("documentId").asText());
      String type = event.get("type").asText();
      assertEquals(type.startsWith("version.") || type.equals("document.created"),
          event.has("version"), "a version only where the write made or changed one: " + event);
      types.add(type);
    }
    types.sort(null);
    assertEquals(List.of("document.created", "document.restored", "document.trashed",
        "document.updated", "version.activated", "version.created", "version.deleted",
        "version.restored"), types,
        "the replays, the dedupe, the 409s and the rolled-back write emit nothing");
  }

  /** After settling earlier rows, a createDocument in {@code t} and the one message it published. */
  private static PubsubMessage onlyEventOfANewDocument(String t) {
    STACK.settleOutbox();
    create(t, null);
    List<ReceivedMessage> messages = STACK.events().drain(300);
    assertEquals(1, messages.size());
    return messages.get(0).getMessage();
  }

  @Test
  void anEventWhoseMarkNeverHappenedIsRepublishedOnceAndCountedOnce() {
    String t = "exactly-once";
    // Published at commit, never marked (the write path marks nothing), and not yet counted:
    // past the grace period the relay cannot tell it from a lost one, so it publishes it again.
    PubsubMessage message = onlyEventOfANewDocument(t);
    Api.Response relay = STACK.relayAfterGracePeriod();
    assertEquals(200, relay.status(), relay.toString());
    assertEquals(1, relay.json().get("published").asInt(), relay.toString());
    assertEquals(0, relay.json().get("failed").asInt(), relay.toString());
    assertEquals(0, relay.json().get("unmarked").asInt(), "published and marked: " + relay);
    List<ReceivedMessage> republished = STACK.events().drain(300);
    assertEquals(1, republished.size());
    assertEquals(message.getAttributesOrThrow("eventId"),
        republished.get(0).getMessage().getAttributesOrThrow("eventId"));
    for (int i = 0; i < 3; i++) {
      assertTrue(STACK.deliver(message));
    }
    deliverAll(republished);
    assertEquals(1, usage(t, "createDocument"), "four deliveries of one event count once");
    Api.Response again = STACK.relayAfterGracePeriod();
    assertEquals(0, again.json().get("published").asInt(), "republished once: " + again);
    assertTrue(STACK.events().drain(300).isEmpty());
  }

  @Test
  void anEventTheSubscriberCountedIsSettledByItsCountAndNeverRepublished() {
    String t = "counted-first";
    PubsubMessage message = onlyEventOfANewDocument(t);
    assertEquals(1, STACK.rows().queryLong(
        "SELECT COUNT(*) FROM AnalyticsOutbox WHERE TenantId = @t AND Pending", t),
        "the write path leaves its row pending");
    assertTrue(STACK.deliver(message));
    assertEquals(0, STACK.rows().queryLong(
        "SELECT COUNT(*) FROM AnalyticsOutbox WHERE TenantId = @t AND Pending", t),
        "the transaction that counts the event settles its row");
    Api.Response relay = STACK.relayAfterGracePeriod();
    assertEquals(200, relay.status(), relay.toString());
    assertEquals(0, relay.json().get("published").asInt(), relay.toString());
    assertEquals(0, relay.json().get("alreadyCounted").asInt(), "nothing left: " + relay);
    assertTrue(STACK.events().drain(300).isEmpty(), "nothing on the wire again");
    assertTrue(STACK.deliver(message), "a late redelivery is acknowledged");
    assertEquals(1, usage(t, "createDocument"));
  }

  @Test
  void aMalformedEventIsAcknowledgedAndCountsNothing() {
    String t = "malformed";
    assertTrue(STACK.deliver(PubsubMessage.newBuilder()
        .setData(ByteString.copyFromUtf8("{not json")).setMessageId("m-1").build()));
    assertTrue(STACK.deliver(PubsubMessage.newBuilder()
        .setData(ByteString.copyFromUtf8("{\"eventId\":\"x\",\"type\":\"document.exploded\","
            + "\"tenantId\":\"" + t + "\",\"documentId\":\"d\",\"requestId\":\"r\","
            + "\"occurredAt\":\"2026-01-01T00:00:00Z\"}")).setMessageId("m-2").build()));
    assertEquals(0, STACK.rows().count("ProcessedEvents", t));
    assertEquals(0, usage(t, null));
  }

  /**
   * getUsage takes both days, includes both, and spans at most 366 of them: a leap year from
   * January 1 to December 31 is the longest range, one day more is 400.
   */
  @Test
  void getUsageIncludesBothDaysAndSpansAtMost366() {
    String t = "usage-range";
    for (String at : List.of("2023-12-31T23:59:59Z", "2024-01-01T00:00:00Z",
        "2024-12-31T23:59:59Z", "2025-01-01T00:00:00Z")) {
      assertTrue(STACK.deliver(PubsubMessage.newBuilder().setMessageId("m-" + at)
          .setData(ByteString.copyFromUtf8("{\"eventId\":\"" + UUID.randomUUID()
              + "\",\"type\":\"document.created\",\"tenantId\":\"" + t
              + "\",\"documentId\":\"" + UUID.randomUUID() + "\",\"version\":1,"
              + "\"requestId\":\"r-range\",\"occurredAt\":\"" + at + "\"}")).build()));
    }
    Api.Response year = usageBetween(t, "2024-01-01", "2024-12-31");
    assertEquals(200, year.status(), year.toString());
    List<String> days = new ArrayList<>();
    year.json().get("days").forEach(d -> days.add(d.get("day").asText() + " "
        + d.get("operation").asText() + " " + d.get("count").asLong()));
    assertEquals(List.of("2024-01-01 createDocument 1", "2024-12-31 createDocument 1"), days);
    assertEquals(1, usageBetween(t, "2025-01-01", "2025-01-01").json().get("days").size(),
        "one day: from = to");
    assertEquals(200, usageBetween(t, "2025-01-01", "2026-01-01").status(),
        "366 days of a common year");

    for (String[] range : new String[][] {{"2024-01-01", "2025-01-01"},
        {"2025-01-01", "2026-01-02"}, {"2000-01-01", "2026-01-01"}, {"2024-01-02", "2024-01-01"},
        {"2024-02-30", "2024-03-01"}, {"2024-1-01", "2024-01-02"}, {"", "2024-01-02"}}) {
      Api.Response refused = usageBetween(t, range[0], range[1]);
      assertEquals(400, refused.status(), String.join("..", range) + ": " + refused);
      assertEquals("invalid_request", refused.code());
    }
    for (String query : List.of("from=2024-01-01", "to=2024-01-01", "",
        "from=2024-01-01&from=2024-01-01&to=2024-01-02")) {
      Api.Response refused = STACK.api().get(GET_USAGE).tenant(t).query(query).send();
      assertEquals(400, refused.status(), query + ": " + refused);
      assertEquals("invalid_request", refused.code());
    }
  }

  /**
   * The events of one tenant, day and operation increment the counter of their own shard, not
   * one shared row; getUsage sums the shards and adds the row the unsharded table holds from
   * before the shards existed, so each event is counted once, old or new.
   */
  @Test
  void usageSumsTheCounterShardsAndTheCountsFromBeforeThem() {
    String t = "usage-shards";
    STACK.rows().client().write(List.of(Mutation.newInsertBuilder("DailyApiUsage")
        .set("TenantId").to(t).set("Day").to(Date.parseDate("2024-03-01"))
        .set("Operation").to("createDocument").set("Count").to(5)
        .set("UpdatedAt").to(Value.COMMIT_TIMESTAMP).build()));
    int events = 40;
    for (int i = 0; i < events; i++) {
      assertTrue(STACK.deliver(PubsubMessage.newBuilder().setMessageId("m-shard-" + i)
          .setData(ByteString.copyFromUtf8("{\"eventId\":\"" + UUID.randomUUID()
              + "\",\"type\":\"document.created\",\"tenantId\":\"" + t
              + "\",\"documentId\":\"" + UUID.randomUUID() + "\",\"version\":1,"
              + "\"requestId\":\"r-shard\",\"occurredAt\":\"2024-03-01T12:00:00Z\"}"))
          .build()));
    }
    long shardRows = STACK.rows().count("DailyApiUsageShards", t);
    assertTrue(shardRows > 1 && shardRows <= Shards.COUNT,
        events + " events on " + shardRows + " counter rows");
    assertEquals(events, STACK.rows().queryLong(
        "SELECT SUM(Count) FROM DailyApiUsageShards WHERE TenantId = @t", t));
    Api.Response r = usageBetween(t, "2024-03-01", "2024-03-01");
    assertEquals(200, r.status(), r.toString());
    assertEquals(1, r.json().get("days").size(), r.toString());
    assertEquals(events + 5, r.json().at("/days/0/count").asLong(), r.toString());
  }

  private static Api.Response usageBetween(String tenant, String from, String to) {
    return STACK.api().get(GET_USAGE).tenant(tenant).query("from=" + from + "&to=" + to).send();
  }

  @Test
  void aCrashBetweenCommitAndPublishIsHealedByTheRelayExactlyOnce() {
    String t = "crash";
    STACK.settleOutbox();
    STACK.local().docstore().failpoints().set(CREATE_DOCUMENT.failpoint(AFTER_COMMIT_BEFORE_PUBLISH),
        "1*error");
    create(t, "crash-1");
    assertTrue(STACK.events().drain(300).isEmpty(), "nothing was published at commit");
    assertEquals(1, STACK.rows().queryLong(
        "SELECT COUNT(*) FROM AnalyticsOutbox WHERE TenantId = @t AND Pending", t));
    Api.Response relay = STACK.relayAfterGracePeriod();
    assertEquals(1, relay.json().get("published").asInt(), relay.toString());
    List<ReceivedMessage> messages = STACK.events().drain(300);
    assertEquals(1, messages.size());
    deliverAll(messages);
    assertEquals(0, STACK.relayAfterGracePeriod().json().get("published").asInt(),
        "a second relay run finds nothing left");
    assertTrue(STACK.events().drain(300).isEmpty());
    assertEquals(1, usage(t, "createDocument"));
  }

  @Test
  void writesSucceedWithinTheBoundWhilePubSubIsDownAndTheRelayCatchesUp() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(STACK.emulators().pubsubRestartable(),
        "needs a Pub/Sub emulator this JVM started");
    String t = "outage";
    STACK.settleOutbox();
    STACK.emulators().stopPubsub();
    List<Long> millis = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        long start = System.nanoTime();
        create(t, "outage-" + i);
        millis.add((System.nanoTime() - start) / 1_000_000);
      }
    } finally {
      STACK.emulators().startPubsubAgain();
    }
    for (long ms : millis) {
      assertTrue(ms < 1_000 + 5_000, "a write waits at most PUBLISH_TIMEOUT (1 s) for Pub/Sub,"
          + " plus slack for a shared machine: " + millis);
    }
    assertEquals(10, STACK.rows().queryLong(
        "SELECT COUNT(*) FROM AnalyticsOutbox WHERE TenantId = @t AND Pending", t));
    STACK.admin().createTopicIfMissing(STACK.local().config().analyticsTopic());
    STACK.events().reconnect();
    int published = 0;
    long deadline = System.currentTimeMillis() + 90_000;
    while (published < 10 && System.currentTimeMillis() < deadline) {
      published += STACK.relayAfterGracePeriod().json().get("published").asInt();
      if (published < 10) {
        Thread.sleep(1_000);
      }
    }
    assertEquals(10, published, "the relay publishes each event once Pub/Sub is back");
    // Publishes that were still retrying in the client when Pub/Sub came back may land too:
    // delivery is at least once, and the subscriber dedupes by eventId.
    List<ReceivedMessage> messages = STACK.events().drain(500);
    assertEquals(10, messages.stream().map(m -> m.getMessage().getAttributesOrThrow("eventId"))
        .distinct().count(), "every committed write's event arrives");
    deliverAll(messages);
    assertEquals(10, usage(t, "createDocument"));
    assertEquals(0, usage("someone-else", null), "another tenant sees none of it");
  }
}

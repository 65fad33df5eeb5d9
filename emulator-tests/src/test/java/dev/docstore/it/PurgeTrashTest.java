package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT;
import static dev.docstore.api.Operation.DELETE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.GET_USAGE;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.LIST_VERSIONS;
import static dev.docstore.api.Operation.PURGE_TRASH;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;
import static dev.docstore.api.Operation.UPDATE_DOCUMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.spanner.v1.ReadRequest;
import dev.docstore.api.Failpoint;
import dev.docstore.api.Operation;
import dev.docstore.api.Step;
import dev.docstore.documents.TrashPurge;
import dev.docstore.store.Shards;
import dev.docstore.testing.DocstoreClient;
import dev.docstore.testing.RpcCounter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * purgeTrash against the real emulators: it removes exactly the expired trash, a crash at any of
 * its failpoints leaves no document half-removed and the next run finishes the work, and its scan
 * costs the same however much young trash waits. The stack's clock ages the trash.
 */
class PurgeTrashTest {
  private static final Duration RETENTION = Duration.ofDays(1);
  /** The reads of a run before it purges: the tombstones, then the head of each trash shard. */
  private static final int SCANS = 1 + Shards.COUNT;

  // The idempotency records must outlive the trash here, to show that one still replays after a
  // purge: a day's retention, three days' keys.
  @RegisterExtension
  static final Stack STACK = new Stack()
      .env("TRASH_RETENTION", "P1D")
      .env("IDEMPOTENCY_TTL", "PT72H");

  /**
   * Every test leaves the trash empty, so that each run's counts are its own test's: the purge
   * sees every tenant's trash.
   */
  @AfterEach
  void emptyTheTrash() {
    age();
    Api.Response run = purge();
    assertEquals(200, run.status(), run.toString());
    assertEquals(0, count("SELECT COUNT(*) FROM Documents WHERE State = 'TRASHED'"));
    assertEquals(0, count("SELECT COUNT(*) FROM PurgedDocuments"));
  }

  // ---- (i) exactly the expired trash, and then nothing is left of it ----

  @Test
  void purgeRemovesExactlyTheExpiredTrashAndEveryTraceOfIt() throws Exception {
    String t = "purge-exact";
    STACK.events().drain(200);
    String live = create(t, "live one", "live two");
    String expired = create(t, "expired one", "expired two");
    assertEquals(200, STACK.api().post(DELETE_DOCUMENT_VERSION).tenant(t)
        .json(Map.of("documentId", expired, "version", 1)).send().status());
    Map<String, Object> keyedBody = Map.of("title", "keyed", "content", "keyed content");
    Api.Response keyed = STACK.api().post(CREATE_DOCUMENT).tenant(t).key("purge-keyed")
        .json(keyedBody).send();
    assertEquals(201, keyed.status(), keyed.toString());
    String keyedId = keyed.json().at("/document/documentId").asText();
    String restored = create(t, "restored after the scan");
    String retrashed = create(t, "trashed again after the scan");
    for (String id : List.of(expired, keyedId, restored, retrashed)) {
      trash(t, id);
    }
    age();
    String young = create(t, "young trash");
    trash(t, young);
    Map<String, List<String>> objectsBefore = new HashMap<>();
    for (String id : List.of(live, young, restored, retrashed)) {
      objectsBefore.put(id, objects(t, id));
      assertFalse(objectsBefore.get(id).isEmpty());
    }

    // The run finds four expired documents, oldest first. While it waits after its first
    // commit, two of the others leave the trash (one comes back to it): it must leave both.
    STACK.local().docstore().failpoints()
        .set(PURGE_TRASH.failpoint(Step.AFTER_COMMIT_BEFORE_PUBLISH).name(), "1*delay(3000)");
    CompletableFuture<Api.Response> run = CompletableFuture.supplyAsync(PurgeTrashTest::purge);
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (documentRows(t, expired) > 0 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertEquals(0, documentRows(t, expired), "the first expired document is purged first");
    assertFalse(run.isDone(), "the run still waits at its failpoint");
    assertEquals(200, onDocument(RESTORE_DOCUMENT, t, restored).status());
    assertEquals(200, onDocument(RESTORE_DOCUMENT, t, retrashed).status());
    trash(t, retrashed);
    Api.Response answer = run.get();
    assertEquals(200, answer.status(), answer.toString());
    assertEquals(2, answer.json().get("purged").asInt(), answer.toString());
    assertEquals(2, answer.json().get("skipped").asInt(), answer.toString());
    assertEquals(0, answer.json().get("finished").asInt(), answer.toString());

    for (String id : List.of(expired, keyedId)) {
      assertPurged(t, id);
    }
    assertEquals("LIVE", state(t, live));
    assertEquals("TRASHED", state(t, young));
    assertEquals("LIVE", state(t, restored));
    assertEquals("TRASHED", state(t, retrashed));
    for (String id : List.of(live, young, restored, retrashed)) {
      assertEquals(objectsBefore.get(id), objects(t, id), "untouched objects of " + id);
    }

    // An earlier keyed write of a purged document still replays its stored answer.
    Api.Response replay = STACK.api().post(CREATE_DOCUMENT).tenant(t).key("purge-keyed")
        .json(keyedBody).send();
    assertEquals(201, replay.status(), replay.toString());
    assertTrue(replay.replayed(), replay.toString());
    assertEquals(keyedId, replay.json().at("/document/documentId").asText());
    assertEquals(404, STACK.api().get(GET_DOCUMENT).tenant(t).query("documentId=" + keyedId)
        .send().status(), "the replay recreated nothing");

    // One document.purged event each, published at commit, counted once by the subscriber:
    // the relay then finds them counted and publishes none of them again.
    List<ReceivedMessage> messages = new ArrayList<>(STACK.events().drain(300));
    messages.forEach(m -> assertTrue(STACK.deliver(m.getMessage())));
    assertEquals(200, STACK.relayAfterGracePeriod().status());
    messages.addAll(STACK.events().drain(300));
    Map<String, Integer> purgedEvents = new HashMap<>();
    for (ReceivedMessage m : messages) {
      JsonNode event = event(m);
      // The relay also republishes earlier tests' events that nothing delivered: not this one's.
      if (event.get("type").asText().equals("document.purged")
          && event.get("tenantId").asText().equals(t)) {
        AnalyticsTest.assertValidEvent(event);
        assertFalse(event.has("version"), event.toString());
        purgedEvents.merge(event.get("documentId").asText(), 1, Integer::sum);
      }
      assertTrue(STACK.deliver(m.getMessage()));
    }
    assertEquals(Map.of(expired, 1, keyedId, 1), purgedEvents);
    assertEquals(2, usage(t, PURGE_TRASH.functionName()));
  }

  /** No row keyed by the document, no object under its prefix, 404 from every call. */
  private static void assertPurged(String t, String id) {
    assertEquals(0, documentRows(t, id), id + ": Documents");
    assertEquals(0, queryLong("SELECT COUNT(*) FROM DocumentVersions"
        + " WHERE TenantId = @t AND DocumentId = @d", t, id), id + ": DocumentVersions");
    assertEquals(0, queryLong("SELECT COUNT(*) FROM PurgedDocuments"
        + " WHERE TenantId = @t AND DocumentId = @d", t, id), id + ": the tombstone is gone");
    assertEquals(List.of(), objects(t, id), id + ": objects");
    assertEquals(1, queryLong("SELECT COUNT(*) FROM AnalyticsOutbox WHERE TenantId = @t"
        + " AND DocumentId = @d AND Type = 'document.purged'", t, id), id + ": its event");
    List<Api.Response> answers = List.of(
        STACK.api().get(GET_DOCUMENT).tenant(t).query("documentId=" + id).send(),
        STACK.api().get(LIST_VERSIONS).tenant(t).query("documentId=" + id).send(),
        STACK.api().get(GET_VERSION_CONTENT).tenant(t).query("documentId=" + id + "&version=1")
            .send(),
        onDocument(RESTORE_DOCUMENT, t, id),
        onDocument(DELETE_DOCUMENT, t, id),
        STACK.api().post(UPDATE_DOCUMENT).tenant(t)
            .json(Map.of("documentId", id, "title", "back")).send(),
        STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(t)
            .json(Map.of("documentId", id, "content", "after the purge")).send(),
        STACK.api().post(SET_ACTIVE_VERSION).tenant(t)
            .json(Map.of("documentId", id, "version", 1)).send(),
        STACK.api().post(DELETE_DOCUMENT_VERSION).tenant(t)
            .json(Map.of("documentId", id, "version", 1)).send(),
        STACK.api().post(RESTORE_DOCUMENT_VERSION).tenant(t)
            .json(Map.of("documentId", id, "version", 1)).send());
    for (Api.Response answer : answers) {
      assertEquals(404, answer.status(), answer.toString());
      assertEquals("not_found", answer.code());
    }
    assertEquals(List.of(), objects(t, id), id + ": no call put an object back");
  }

  // ---- (ii) the crash matrix ----

  static Stream<Arguments> crashes() {
    List<Arguments> all = new ArrayList<>();
    for (Failpoint point : PURGE_TRASH.failpoints()) {
      all.add(Arguments.of(point, "error"));
      if (point.phase() == Step.Phase.PRE_COMMIT) {
        all.add(Arguments.of(point, "abort"));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("crashes")
  void aCrashAtAnyPointLeavesNoHalfDocumentAndTheNextRunFinishes(Failpoint point,
      String action) {
    String t = ("crash-" + point.step().stepName() + "-" + action).toLowerCase();
    String first = create(t, t + " first one", t + " first two");
    String second = create(t, t + " second");
    trash(t, first);
    trash(t, second);
    age();
    Map<String, Long> versions = new HashMap<>();
    Map<String, List<String>> objects = new HashMap<>();
    for (String id : List.of(first, second)) {
      versions.put(id, versionRows(t, id));
      objects.put(id, objects(t, id));
    }
    STACK.events().drain(200);
    List<ReceivedMessage> messages = new ArrayList<>();

    String requestId = "purge-" + UUID.randomUUID();
    Api.Response crashed;
    List<JsonNode> lines;
    try (LogCapture logs = new LogCapture()) {
      STACK.local().docstore().failpoints().set(point.name(), "1*" + action);
      crashed = STACK.api().post(PURGE_TRASH).tenant(null).header("X-Request-Id", requestId)
          .send();
      lines = logs.forRequest(requestId);
    }
    STACK.local().docstore().failpoints().clear();
    boolean stops = point.phase() == Step.Phase.PRE_COMMIT && action.equals("error");
    assertBoundaryLines(lines, point, action, t, List.of(first, second));
    if (stops) {
      assertEquals(503, crashed.status(), crashed.toString());
      assertEquals("unavailable", crashed.code());
    } else {
      assertEquals(200, crashed.status(), crashed.toString());
      assertEquals(2, crashed.json().get("purged").asInt(), crashed.toString());
    }
    for (String id : List.of(first, second)) {
      if (documentRows(t, id) == 1) {
        assertTrue(stops, id + " survived a run that did not stop");
        assertEquals("TRASHED", state(t, id));
        assertEquals(versions.get(id), versionRows(t, id), id + ": all its versions");
        assertEquals(objects.get(id), objects(t, id), id + ": all its objects");
      } else {
        assertEquals(0, versionRows(t, id), id + ": no version outlives its document");
        boolean objectsLeft = !objects(t, id).isEmpty();
        boolean tombstone = queryLong("SELECT COUNT(*) FROM PurgedDocuments"
            + " WHERE TenantId = @t AND DocumentId = @d", t, id) == 1;
        assertTrue(!objectsLeft || tombstone, id + ": an object left has a tombstone");
      }
    }
    messages.addAll(STACK.events().drain(300));

    Api.Response next = purge();
    assertEquals(200, next.status(), next.toString());
    int leftByTheCrash = point.step() == Step.AFTER_COMMIT_BEFORE_OBJECT_DELETE
        || point.step() == Step.AFTER_OBJECT_DELETE ? 1 : 0;
    assertEquals(leftByTheCrash, next.json().get("finished").asInt(), next.toString());
    assertEquals(stops ? 2 : 0, next.json().get("purged").asInt(), next.toString());
    messages.addAll(STACK.events().drain(300));
    // Delivered as Eventarc would, so the relay republishes only what the purge never published.
    messages.forEach(m -> assertTrue(STACK.deliver(m.getMessage())));
    assertEquals(200, STACK.relayAfterGracePeriod().status());
    messages.addAll(STACK.events().drain(300));

    for (String id : List.of(first, second)) {
      assertPurged(t, id);
    }
    for (String object : STACK.local().docstore().content().objectNamesUnder(t + "/")) {
      String documentId = object.split("/")[1];
      assertEquals(1, documentRows(t, documentId), object + " belongs to no document");
    }
    Map<String, Integer> purgedEvents = new HashMap<>();
    for (ReceivedMessage m : messages) {
      JsonNode event = event(m);
      if (event.get("tenantId").asText().equals(t)
          && event.get("type").asText().equals("document.purged")) {
        purgedEvents.merge(event.get("documentId").asText(), 1, Integer::sum);
      }
    }
    assertEquals(Map.of(first, 1, second, 1), purgedEvents, "one event per purged document");
    assertEquals(0, queryLong("SELECT COUNT(*) FROM AnalyticsOutbox WHERE TenantId = @t"
        + " AND Pending", t, ""), "every event published and marked");
  }

  /**
   * The transaction-boundary lines the failpoint contract asks of the run: an error inside the
   * transaction is one ROLLBACK, with its code, of the document it stopped at, and no COMMIT (the
   * run stops there); an abort there is a RETRY and then both documents' COMMITs; a failure after
   * the commit leaves both COMMITs, no ROLLBACK, and a warning naming the step it skipped.
   */
  private static void assertBoundaryLines(List<JsonNode> lines, Failpoint point, String action,
      String t, List<String> documents) {
    List<String> messages = LogCapture.messages(lines);
    long commits = messages.stream().filter("COMMIT"::equals).count();
    List<JsonNode> rollbacks = lines.stream()
        .filter(l -> l.path("message").asText().equals("ROLLBACK")).toList();
    if (point.phase() == Step.Phase.PRE_COMMIT && action.equals("error")) {
      assertEquals(1, rollbacks.size(), messages.toString());
      assertEquals(0, commits, messages.toString());
      JsonNode rollback = rollbacks.get(0);
      for (String field : List.of("requestId", "tenantId", "userId", "documentId", "operation",
          "attempt", "durationMs", "errorCode")) {
        assertFalse(rollback.path(field).asText().isBlank(), field + ": " + rollback);
      }
      assertEquals(t, rollback.path("tenantId").asText(), rollback.toString());
      assertEquals(PURGE_TRASH.functionName(), rollback.path("operation").asText());
      assertTrue(documents.contains(rollback.path("documentId").asText()), rollback.toString());
      assertEquals(1, documentRows(t, rollback.path("documentId").asText()),
          "the document the run rolled back is whole");
      return;
    }
    assertEquals(List.of(), rollbacks, messages.toString());
    assertEquals(documents.size(), commits, messages.toString());
    if (point.phase() == Step.Phase.PRE_COMMIT) {
      assertTrue(messages.contains("RETRY"), "a RETRY line: " + messages);
    } else {
      String skipped = point.step() == Step.AFTER_COMMIT_BEFORE_PUBLISH
          ? "PUBLISH skipped; the outbox relay will publish it later"
          : "STEP " + point.step().stepName() + " skipped by failpoint";
      assertTrue(lines.stream().anyMatch(l -> l.path("message").asText().equals(skipped)
          && l.path("severity").asText().equals("WARNING")), "a warning: " + skipped + " in "
          + messages);
    }
  }

  // ---- (iii) the scan's cost follows the expired trash, not the young ----

  @Test
  void aRunCostsTheSameRpcsWithTwoThousandYoungDocumentsInTheTrash() {
    String t = "purge-scan";
    String template = create(t, "the bytes every young document shares");
    Struct version = STACK.rows().client().singleUse().readRow("DocumentVersions",
        Key.of(t, template, 1L), List.of("ContentSha256", "ContentLength", "ContentType",
            "ObjectName", "ObjectGeneration"));
    String youngTenant = "purge-scan-young";
    List<String> young = new ArrayList<>();
    try {
      long emptyWithoutYoung = emptyRunMillis();
      expiredDocuments(t, 3);
      long started = System.nanoTime();
      List<String> withoutYoung = RpcCounter.roundTrips(STACK.rpcs().during(
          () -> assertEquals(3, purge().json().get("purged").asInt())));
      long withoutYoungMillis = (System.nanoTime() - started) / 1_000_000;

      young.addAll(insertYoungTrash(youngTenant, 2_000, version));
      long emptyWithYoung = emptyRunMillis();
      expiredDocuments(t, 3);
      started = System.nanoTime();
      List<List<String>> calls = new ArrayList<>();
      List<ReadRequest> reads = STACK.rpcs().readsDuring(() -> calls.add(STACK.rpcs().during(
          () -> assertEquals(3, purge().json().get("purged").asInt()))));
      long withYoungMillis = (System.nanoTime() - started) / 1_000_000;
      List<String> withYoung = RpcCounter.roundTrips(calls.get(0));

      System.out.println("purgeTrash run purging 3: " + withoutYoungMillis + " ms with no young"
          + " trash, " + withYoungMillis + " ms with 2000 young trashed documents; Spanner"
          + " round trips " + withoutYoung.size() + " and " + withYoung.size()
          + "; a run with nothing to purge: " + emptyWithoutYoung + " ms and " + emptyWithYoung
          + " ms");
      assertEquals(withoutYoung, withYoung, "the same round trips, whatever waits in the trash");
      // The scans (the tombstones, the head of each trash shard), then per document its
      // transaction (inline begin, commit) and the tombstone's removal; the relay settles the
      // outbox rows later.
      assertEquals(SCANS + 3 * 3, withYoung.size(), withYoung.toString());
      assertBoundedSeeks(reads);
      assertEquals(2_000, queryLong("SELECT COUNT(*) FROM Documents WHERE TenantId = @t"
          + " AND State = 'TRASHED'", youngTenant, ""), "the young trash stays");
    } finally {
      List<Mutation> deletes = new ArrayList<>();
      for (String id : young) {
        deletes.add(Mutation.delete("Documents", Key.of(youngTenant, id)));
      }
      for (int from = 0; from < deletes.size(); from += 500) {
        STACK.rows().client().write(deletes.subList(from, Math.min(deletes.size(), from + 500)));
      }
    }
  }

  /**
   * A round-trip count cannot tell a seek from a scan (a query over the whole table is one round
   * trip per shard too), so the requests themselves: each shard's head is one key range of the
   * trash index, with a limit, and the tombstones one limited read of their table.
   */
  private static void assertBoundedSeeks(List<ReadRequest> reads) {
    List<ReadRequest> trashReads = reads.stream()
        .filter(r -> r.getIndex().equals("DocumentsByTrashShardAndTrashedAt")).toList();
    assertEquals(Shards.COUNT, trashReads.size(), "one read of the trash index per shard");
    Instant cutoff = STACK.clock().instant().minus(RETENTION);
    List<String> shards = new ArrayList<>();
    for (ReadRequest read : trashReads) {
      assertFalse(read.getKeySet().getAll(), "a key range, not the whole index");
      assertEquals(0, read.getKeySet().getKeysCount(), read.toString());
      assertEquals(1, read.getKeySet().getRangesCount(), read.toString());
      // From the head of one shard to the cutoff within it: [shard] .. [shard, cutoff].
      var range = read.getKeySet().getRanges(0);
      String shard = range.getStartClosed().getValues(0).getStringValue();
      assertEquals(1, range.getStartClosed().getValuesCount(), read.toString());
      assertEquals(2, range.getEndClosed().getValuesCount(), read.toString());
      assertEquals(shard, range.getEndClosed().getValues(0).getStringValue(), read.toString());
      Instant end = Instant.parse(range.getEndClosed().getValues(1).getStringValue());
      assertFalse(end.isAfter(cutoff), "the range stops at the cutoff: " + read);
      shards.add(shard);
      assertTrue(read.getLimit() > 0 && read.getLimit() <= TrashPurge.BATCH_SIZE,
          "a bounded batch: " + read.getLimit());
    }
    assertEquals(Shards.COUNT, new HashSet<>(shards).size(), "every shard: " + shards);
    List<ReadRequest> tombstoneReads = reads.stream()
        .filter(r -> r.getTable().equals("PurgedDocuments")).toList();
    assertFalse(tombstoneReads.isEmpty(), "the tombstones are read: " + reads);
    tombstoneReads.forEach(r -> assertTrue(r.getLimit() > 0
        && r.getLimit() <= TrashPurge.BATCH_SIZE, "a bounded batch: " + r.getLimit()));
  }

  /** A run with nothing to purge: its scans, and how long it took. */
  private static long emptyRunMillis() {
    long started = System.nanoTime();
    List<String> rpcs = RpcCounter.roundTrips(STACK.rpcs().during(
        () -> assertEquals(0, purge().json().get("purged").asInt())));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(SCANS, rpcs.size(), "the tombstones' read and the trash's key ranges: " + rpcs);
    return millis;
  }

  /** {@code n} documents of the tenant, trashed and then aged past the retention. */
  private static void expiredDocuments(String t, int n) {
    for (int i = 0; i < n; i++) {
      trash(t, create(t, "expired " + i + " " + System.nanoTime()));
    }
    age();
  }

  /**
   * {@code n} young trashed documents, written straight into Spanner for speed: each a row and
   * one live version whose object is the template's. Trashed "in ten days" by the stack's clock,
   * so that ageing the expired documents after them leaves these young.
   */
  private static List<String> insertYoungTrash(String tenant, int n, Struct version) {
    Timestamp now = Timestamp.ofTimeMicroseconds(ChronoUnit.MICROS.between(Instant.EPOCH,
        STACK.clock().instant().plus(Duration.ofDays(10))));
    List<String> ids = new ArrayList<>();
    List<Mutation> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = UUID.randomUUID().toString();
      ids.add(id);
      batch.add(Mutation.newInsertBuilder("Documents").set("TenantId").to(tenant)
          .set("DocumentId").to(id).set("Title").to("young " + i).set("State").to("TRASHED")
          .set("ActiveVersion").to(1L).set("LatestVersion").to(1L).set("Revision").to(2L)
          .set("CreatedAt").to(now).set("UpdatedAt").to(now).set("TrashedAt").to(now)
          .set("CreatedBy").to("u-young").build());
      batch.add(Mutation.newInsertBuilder("DocumentVersions").set("TenantId").to(tenant)
          .set("DocumentId").to(id).set("Version").to(1L).set("State").to("LIVE")
          .set("ContentSha256").to(version.getString("ContentSha256"))
          .set("ContentLength").to(version.getLong("ContentLength"))
          .set("ContentType").to(version.getString("ContentType"))
          .set("ObjectName").to(version.getString("ObjectName"))
          .set("ObjectGeneration").to(version.getLong("ObjectGeneration"))
          .set("CreatedAt").to(now).set("CreatedBy").to("u-young").build());
      if (batch.size() >= 500 || i == n - 1) {
        STACK.rows().client().write(batch);
        batch = new ArrayList<>();
      }
    }
    return ids;
  }

  // ---- helpers ----

  /** A document with one version per content, the last one active. */
  private static String create(String t, String... contents) {
    Api.Response created = STACK.api().post(CREATE_DOCUMENT).tenant(t)
        .json(Map.of("title", "purge", "content", contents[0])).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().at("/document/documentId").asText();
    for (int i = 1; i < contents.length; i++) {
      Api.Response version = STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(t)
          .json(Map.of("documentId", id, "content", contents[i])).send();
      assertEquals(201, version.status(), version.toString());
    }
    return id;
  }

  private static void trash(String t, String id) {
    Api.Response trashed = onDocument(DELETE_DOCUMENT, t, id);
    assertEquals(200, trashed.status(), trashed.toString());
  }

  private static Api.Response onDocument(Operation op, String t, String id) {
    return STACK.api().post(op).tenant(t).json(Map.of("documentId", id)).send();
  }

  /** Moves the stack's clock past the retention: what is in the trash now has expired. */
  private static void age() {
    STACK.clock().advance(RETENTION.plusMinutes(1));
  }

  /** purgeTrash as Cloud Scheduler calls it: no tenant credentials. */
  private static Api.Response purge() {
    return STACK.api().post(PURGE_TRASH).tenant(null).send();
  }

  private static List<String> objects(String t, String id) {
    return STACK.local().docstore().content().objectNamesUnder(t + "/" + id + "/");
  }

  private static String state(String t, String id) {
    Struct row = STACK.rows().client().singleUse().readRow("Documents", Key.of(t, id),
        List.of("State"));
    return row == null ? "absent" : row.getString("State");
  }

  private static long documentRows(String t, String id) {
    return queryLong("SELECT COUNT(*) FROM Documents WHERE TenantId = @t AND DocumentId = @d",
        t, id);
  }

  private static long versionRows(String t, String id) {
    return queryLong("SELECT COUNT(*) FROM DocumentVersions WHERE TenantId = @t"
        + " AND DocumentId = @d", t, id);
  }

  private static long queryLong(String sql, String t, String id) {
    try (ResultSet rs = STACK.rows().client().singleUse().executeQuery(
        Statement.newBuilder(sql).bind("t").to(t).bind("d").to(id).build())) {
      rs.next();
      return rs.getLong(0);
    }
  }

  private static long count(String sql) {
    try (ResultSet rs = STACK.rows().client().singleUse().executeQuery(Statement.of(sql))) {
      rs.next();
      return rs.getLong(0);
    }
  }

  private static long usage(String t, String operation) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Api.Response r = STACK.api().get(GET_USAGE).tenant(t)
        .query("from=" + today.minusDays(1) + "&to=" + today.plusDays(1)).send();
    assertEquals(200, r.status(), r.toString());
    long total = 0;
    for (JsonNode day : r.json().get("days")) {
      if (operation.equals(day.get("operation").asText())) {
        total += day.get("count").asLong();
      }
    }
    return total;
  }

  /** The event a message carries. */
  private static JsonNode event(ReceivedMessage message) {
    try {
      return DocstoreClient.JSON.readTree(message.getMessage().getData().toStringUtf8());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

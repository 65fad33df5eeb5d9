package dev.docstore.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.api.Operation;
import dev.docstore.failpoints.Failpoints;
import dev.docstore.input.Sha256;
import dev.docstore.testing.DocstoreClient;
import dev.docstore.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One client of a randomized run: a thread that issues random reads and writes across the
 * tenants until its deadline, retrying with the same Idempotency-Key (sometimes with a changed
 * payload, sometimes twice at once), probing other tenants' ids, and recording every exchange in
 * the {@link History}. Its choices come from its own Random, seeded from the run's seed.
 */
final class HistoryClient implements Runnable {
  /** What the clients know together: each tenant's documents and recently keyed writes. */
  static final class World {
    final List<String> tenants;
    final Map<String, List<Doc>> docs = new ConcurrentHashMap<>();
    final Map<String, Doc> byId = new ConcurrentHashMap<>();
    final Map<String, List<Sent>> pool = new ConcurrentHashMap<>();
    final AtomicLong keys = new AtomicLong();

    World(List<String> tenants) {
      this.tenants = List.copyOf(tenants);
      tenants.forEach(t -> {
        docs.put(t, new CopyOnWriteArrayList<>());
        pool.put(t, new CopyOnWriteArrayList<>());
      });
    }

    Doc learn(String tenant, String documentId, long version) {
      Doc doc = byId.computeIfAbsent(documentId, id -> {
        Doc d = new Doc(tenant, id, new AtomicLong(), new AtomicLong(1),
            ConcurrentHashMap.newKeySet(), new AtomicReference<>(), new AtomicReference<>(),
            new AtomicBoolean());
        docs.get(tenant).add(d);
        return d;
      });
      doc.latest.accumulateAndGet(version, Math::max);
      return doc;
    }
  }

  /**
   * A document as the clients last saw it: a hint for choosing targets (mostly valid ones),
   * never an expectation; the checker keeps no model of which request should win.
   */
  record Doc(String tenant, String id, AtomicLong latest, AtomicLong active,
      java.util.Set<Long> deleted, AtomicReference<String> etag, AtomicReference<String> stale,
      AtomicBoolean trashed) {
    /** What an answer showed of the document: its etag (the one before turns stale), state. */
    void saw(JsonNode document) {
      String seen = document.path("etag").asText(null);
      if (seen != null) {
        String before = etag.getAndSet(seen);
        if (before != null && !before.equals(seen)) {
          stale.set(before);
        }
      }
      trashed.set("TRASHED".equals(document.path("state").asText()));
    }
  }

  /** A write, kept for retries when keyed; {@code ifMatch} is its If-Match header or null. */
  record Sent(String function, Map<String, Object> body, String key, String documentId,
      Long version, String contentSha256, String ifMatch) {}

  private static final String[] WEIGHTED = {
      "createDocument", "createDocument", "createDocument",
      "createDocumentVersion", "createDocumentVersion", "createDocumentVersion",
      "createDocumentVersion",
      "setActiveVersion", "setActiveVersion", "setActiveVersion",
      "deleteDocumentVersion", "deleteDocumentVersion", "deleteDocumentVersion",
      "restoreDocumentVersion", "restoreDocumentVersion", "restoreDocumentVersion",
      "updateDocument", "updateDocument", "deleteDocument", "deleteDocument",
      "restoreDocument", "restoreDocument",
      "getDocument", "getDocument", "listDocuments", "getVersionContent", "getVersionContent",
      "getUsage"};

  /** The calls whose 404 is about the document itself, not one of its versions. */
  private static final Set<String> ON_THE_DOCUMENT = Set.of("getDocument",
      "createDocumentVersion", "updateDocument", "deleteDocument", "restoreDocument");

  private final int client;
  private final Api api;
  private final History history;
  private final World world;
  private final Random rnd;
  private final LongSupplier deadlineNanos;
  private final ExecutorService twin;
  private double keyedShare = 0.85;
  /**
   * Keyed requests whose last attempt got no response or a 503, by tenant, key and payload: what
   * {@link #settle} retries. A later answer of the same request removes it.
   */
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /** A keyed request with an open outcome, and when its last attempt ended. */
  private record Pending(String tenant, Sent sent, boolean crossTenant, long endedNanos) {}

  HistoryClient(int client, long seed, Api api, History history, World world,
      long deadlineNanos, ExecutorService twin) {
    this(client, seed, api, history, world, () -> deadlineNanos, twin);
  }

  /** A client whose deadline may move (a nemesis run ends when its faults are done). */
  HistoryClient(int client, long seed, Api api, History history, World world,
      LongSupplier deadlineNanos, ExecutorService twin) {
    this.client = client;
    this.api = api;
    this.history = history;
    this.world = world;
    this.rnd = new Random(seed * 1_000_003L + client);
    this.deadlineNanos = deadlineNanos;
    this.twin = twin;
  }

  /**
   * Every write carries an Idempotency-Key: for runs where a request may get no response, so that
   * {@link #settle} can learn every outcome by retrying it.
   */
  HistoryClient keyedOnly() {
    keyedShare = 1.0;
    return this;
  }

  @Override
  public void run() {
    while (System.nanoTime() < deadlineNanos.getAsLong()) {
      step();
    }
  }

  /**
   * Retries every keyed request whose last attempt got no response or a 503, with the same key and
   * payload, until each has an answer or {@code untilNanos} passes, as a client that lost its
   * connection does. Returns how many stay open.
   */
  int settle(long untilNanos) {
    while (!pending.isEmpty() && System.nanoTime() < untilNanos) {
      for (Pending p : List.copyOf(pending.values())) {
        send(p.tenant(), p.sent(), p.crossTenant(), "settling key " + p.sent().key());
      }
      if (!pending.isEmpty()) {
        sleep(200);
      }
    }
    return pending.size();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T pick(List<T> list) {
    return list.get(rnd.nextInt(list.size()));
  }

  private void step() {
    String tenant = pick(world.tenants);
    double r = rnd.nextDouble();
    List<Sent> pool = world.pool.get(tenant);
    if (r < 0.20 && !pool.isEmpty()) {
      retry(tenant, pick(pool));
    } else if (r < 0.25 && world.tenants.size() > 1) {
      probe(tenant);
    } else {
      fresh(tenant);
    }
  }

  /** The same key again: mostly the same payload, sometimes a changed one. */
  private void retry(String tenant, Sent sent) {
    if (rnd.nextDouble() < 0.25) {
      Sent changed = changed(sent);
      send(tenant, changed, false, "retry of key " + sent.key() + " with a changed payload");
    } else {
      send(tenant, sent, false, "retry of key " + sent.key());
    }
  }

  private Sent changed(Sent s) {
    Map<String, Object> body = new TreeMap<>(s.body());
    String sha = s.contentSha256();
    Long version = s.version();
    String ifMatch = s.ifMatch();
    if (!s.function().equals("createDocument") && rnd.nextDouble() < 0.3) {
      // The same body under another precondition: If-Match is part of the request.
      return new Sent(s.function(), body, s.key(), s.documentId(), version, sha,
          ifMatch == null ? "*" : null);
    }
    switch (s.function()) {
      case "createDocument", "updateDocument" -> body.put("title", body.get("title") + "!");
      case "deleteDocument", "restoreDocument" ->
          ifMatch = "*".equals(ifMatch) ? null : "*";
      case "createDocumentVersion" -> {
        String content = body.get("content") + "!";
        body.put("content", content);
        sha = sha(content);
      }
      default -> {
        version = s.version() > 1 && rnd.nextBoolean() ? s.version() - 1 : s.version() + 1;
        body.put("version", version);
      }
    }
    return new Sent(s.function(), body, s.key(), s.documentId(), version, sha, ifMatch);
  }

  /** Another tenant's document id, with this tenant's credentials: must be 404. */
  private void probe(String tenant) {
    List<String> others = world.tenants.stream().filter(t -> !t.equals(tenant)).toList();
    List<Doc> docs = List.copyOf(world.docs.get(pick(others)));
    if (docs.isEmpty()) {
      fresh(tenant);
      return;
    }
    Doc doc = pick(docs);
    long version = 1 + rnd.nextInt((int) Math.max(1, doc.latest().get()));
    String function = pick(List.of("getDocument", "getVersionContent", "createDocumentVersion",
        "setActiveVersion", "deleteDocumentVersion", "restoreDocumentVersion", "updateDocument",
        "deleteDocument", "restoreDocument"));
    switch (function) {
      case "getDocument" -> read(tenant, function, "documentId=" + doc.id(), doc.id(), null,
          true);
      case "getVersionContent" -> read(tenant, function, "documentId=" + doc.id() + "&version="
          + version, doc.id(), version, true);
      default -> {
        Sent sent = write(tenant, function, doc, version);
        send(tenant, sent, true, "cross-tenant probe");
      }
    }
  }

  private void fresh(String tenant) {
    // A snapshot: a purged document leaves the list while we choose (see forgetIfPurged).
    List<Doc> docs = List.copyOf(world.docs.get(tenant));
    String function = docs.isEmpty() ? "createDocument" : WEIGHTED[rnd.nextInt(WEIGHTED.length)];
    // A quarter of the operations go to the tenant's first document, a hot spot where writers
    // contend for the version allocation and the same versions' states.
    Doc doc = docs.isEmpty() ? null : rnd.nextDouble() < 0.25 ? docs.get(0) : pick(docs);
    if (doc != null && (doc != docs.get(0) || function.equals("restoreDocument"))
        && rnd.nextDouble() < 0.8) {
      // Mostly valid targets (the hot spot too, for a restore): a trashed document to restore, a live one for any other write;
      // a document with a deleted version to restore, or with a version other than the
      // active one to delete.
      List<Doc> fit = docs.stream().filter(d -> function.equals("restoreDocument")
          ? d.trashed().get()
          : (function.startsWith("get") || !d.trashed().get())
              && (function.equals("restoreDocumentVersion") ? !d.deleted().isEmpty()
                  : !function.equals("deleteDocumentVersion") || d.latest().get() > 1))
          .toList();
      if (!fit.isEmpty()) {
        doc = pick(fit);
      }
    }
    long latest = doc == null ? 1 : Math.max(1, doc.latest().get());
    long version = rnd.nextDouble() < 0.05 ? latest + 1 : 1 + rnd.nextInt((int) latest);
    if (doc != null && rnd.nextDouble() < 0.8) {
      List<Long> deleted = new ArrayList<>(doc.deleted());
      if (function.equals("restoreDocumentVersion") && !deleted.isEmpty()) {
        version = pick(deleted);
      } else if (function.equals("deleteDocumentVersion") || function.equals("setActiveVersion")
          || function.equals("getVersionContent")) {
        List<Long> live = new ArrayList<>();
        for (long v = 1; v <= latest; v++) {
          if (!doc.deleted().contains(v) && (v != doc.active().get()
              || !function.equals("deleteDocumentVersion"))) {
            live.add(v);
          }
        }
        if (!live.isEmpty()) {
          version = pick(live);
        }
      }
    }
    switch (function) {
      case "getDocument" -> read(tenant, function, "documentId=" + doc.id(), doc.id(), null,
          false);
      case "getVersionContent" -> read(tenant, function, "documentId=" + doc.id()
          + "&version=" + version, doc.id(), version, false);
      case "listDocuments" -> read(tenant, function, "pageSize=" + (1 + rnd.nextInt(100))
          + (rnd.nextInt(4) == 0 ? "&state=TRASHED" : ""), null, null, false);
      case "getUsage" -> {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        read(tenant, function, "from=" + today.minusDays(1) + "&to=" + today.plusDays(1),
            null, null, false);
      }
      default -> {
        Sent sent = write(tenant, function, doc, version);
        boolean keyed = sent.key() != null;
        if (keyed && rnd.nextDouble() < 0.07) {
          CompletableFuture<Void> other = CompletableFuture.runAsync(
              () -> send(tenant, sent, false, "concurrent twin"), twin);
          send(tenant, sent, false, "concurrent twin");
          other.join();
        } else {
          send(tenant, sent, false, null);
        }
        if (keyed) {
          List<Sent> pool = world.pool.get(tenant);
          if (pool.size() >= 40) {
            pool.remove(rnd.nextInt(pool.size()));
          }
          pool.add(sent);
        }
      }
    }
  }

  private String content() {
    // A small alphabet of contents, so versions share objects and keyless repeats dedupe.
    return rnd.nextDouble() < 0.5 ? "shared-" + rnd.nextInt(4)
        : "content-" + Long.toHexString(rnd.nextLong());
  }

  private Sent write(String tenant, String function, Doc doc, long version) {
    Map<String, Object> body = new TreeMap<>();
    String sha = null;
    Long v = null;
    String documentId = doc == null ? null : doc.id();
    switch (function) {
      case "createDocument" -> {
        String content = content();
        body.put("title", "doc " + Long.toHexString(rnd.nextInt(1 << 20)));
        body.put("content", content);
        sha = sha(content);
        documentId = null;
      }
      case "createDocumentVersion" -> {
        String content = content();
        body.put("documentId", documentId);
        body.put("content", content);
        if (rnd.nextBoolean()) {
          body.put("activate", rnd.nextBoolean());
        }
        if (rnd.nextInt(4) == 0) {
          // Same bytes, another type: never a dedupe of a version of the default type.
          body.put("contentType", "text/markdown");
        }
        sha = sha(content);
      }
      case "updateDocument" -> {
        body.put("documentId", documentId);
        body.put("title", "renamed " + Long.toHexString(rnd.nextInt(1 << 20)));
      }
      case "deleteDocument", "restoreDocument" -> body.put("documentId", documentId);
      default -> {
        body.put("documentId", documentId);
        body.put("version", version);
        v = version;
      }
    }
    String ifMatch = function.equals("createDocument") || rnd.nextDouble() >= 0.3 ? null
        : ifMatch(doc);
    String key = null;
    if (rnd.nextDouble() < keyedShare) {
      key = "k-" + Long.toString(world.keys.incrementAndGet(), 36);
      if (rnd.nextDouble() < 0.05) {
        // The same key string from another tenant: keys are scoped per tenant.
        List<Sent> other = world.pool.get(pick(world.tenants));
        if (!other.isEmpty()) {
          key = pick(other).key();
        }
      }
    }
    return new Sent(function, body, key, documentId, v, sha, ifMatch);
  }

  /**
   * An If-Match for a write on {@code doc}: mostly the etag this client world last saw (which a
   * concurrent write may have made stale already), sometimes one known to be stale, sometimes
   * {@code *}.
   */
  private String ifMatch(Doc doc) {
    double r = rnd.nextDouble();
    String seen = doc.etag().get();
    String stale = doc.stale().get();
    if (r < 0.2 || seen == null) {
      return "*";
    }
    if (r < 0.4) {
      return stale != null ? stale : "\"never-" + Long.toHexString(rnd.nextLong()) + "\"";
    }
    return seen;
  }

  static String sha(String content) {
    return Sha256.hex(content.getBytes(StandardCharsets.UTF_8));
  }

  private void send(String tenant, Sent sent, boolean crossTenant, String note) {
    String payload = DocstoreClient.json(sent.body());
    long seq = history.nextSeq();
    String requestId = "h" + seq + "-c" + client;
    History.Entry e = new History.Entry(seq, client, tenant, sent.function(), sent.key(),
        requestId, payload, sent.ifMatch(), sent.documentId(), sent.version(),
        sent.contentSha256(), crossTenant, note, history.now());
    history.add(e);
    Api.Request request = api.post(sent.function()).tenant(tenant)
        .header("X-User-Id", "u" + client).header("X-Request-Id", requestId).key(sent.key());
    if (sent.ifMatch() != null) {
      request.header("If-Match", sent.ifMatch());
    }
    Api.Response response = exchange(e, request.json(payload));
    forgetIfPurged(e, crossTenant);
    if (sent.key() != null) {
      String id = tenant + "\u0000" + sent.key() + "\u0000" + e.payloadHash;
      if (e.unknown() || e.status == 503) {
        pending.put(id, new Pending(tenant, sent, crossTenant, e.endNanos));
      } else {
        // Only an attempt sent after the open one ended settles it (a concurrent twin does not).
        pending.computeIfPresent(id, (k, p) -> e.startNanos > p.endedNanos() ? null : p);
      }
    }
    if (response == null || crossTenant || !e.ok()) {
      return;
    }
    JsonNode body = response.json();
    Doc doc = world.learn(tenant, body.at("/document/documentId").asText(),
        body.at("/document/latestVersion").asLong());
    doc.active().set(body.at("/document/activeVersion").asLong());
    doc.saw(body.path("document"));
    if (body.has("version")) {
      long v = body.at("/version/version").asLong();
      if ("DELETED".equals(body.at("/version/state").asText())) {
        doc.deleted().add(v);
      } else {
        doc.deleted().remove(v);
      }
    }
  }

  private void read(String tenant, String function, String query, String documentId,
      Long version, boolean crossTenant) {
    long seq = history.nextSeq();
    String requestId = "h" + seq + "-c" + client;
    History.Entry e = new History.Entry(seq, client, tenant, function, null, requestId, query,
        documentId, version, null, crossTenant, crossTenant ? "cross-tenant probe" : null,
        history.now());
    history.add(e);
    Api.Response response = exchange(e, api.get(function).tenant(tenant)
        .header("X-User-Id", "u" + client).header("X-Request-Id", requestId).query(query));
    forgetIfPurged(e, crossTenant);
    if (response != null && !crossTenant && e.ok() && function.equals("getDocument")) {
      Doc doc = world.byId.get(documentId);
      if (doc != null) {
        doc.saw(response.json().path("document"));
      }
    }
  }

  /**
   * A 404 on a document of the tenant itself: purgeTrash removed it (nothing else removes a
   * document), so the clients stop choosing it; keyed retries of earlier writes on it go on.
   */
  private void forgetIfPurged(History.Entry e, boolean crossTenant) {
    if (e.status == 404 && !crossTenant && e.documentId != null
        && ON_THE_DOCUMENT.contains(e.function)) {
      Doc doc = world.byId.get(e.documentId);
      if (doc != null) {
        world.docs.get(e.tenant).remove(doc);
      }
    }
  }

  private Api.Response exchange(History.Entry e, Api.Request request) {
    return exchange(history, rnd, e, request);
  }

  /** Sends {@code request} and completes {@code e} with what came back, or with the failure. */
  private static Api.Response exchange(History history, Random rnd, History.Entry e,
      Api.Request request) {
    Api.Response response;
    try {
      response = request.send();
    } catch (AssertionError | RuntimeException failure) {
      e.failure = failure.getClass().getSimpleName() + ": " + failure.getMessage();
      e.transportFailure = failure instanceof java.io.UncheckedIOException;
      e.complete(history.now(), -1, null, false, null);
      if (e.transportFailure) {
        // The server is away (killed, restarting): back off as a client would, not spin.
        sleep(100 + rnd.nextInt(200));
      }
      return null;
    }
    String contentType = String.valueOf(response.header("Content-Type"));
    String code = contentType.startsWith("application/problem+json") ? response.code() : null;
    String body;
    if (e.function.equals("getVersionContent") && response.status() == 200) {
      String sha = Sha256.hex(response.body());
      body = "sha256=" + sha;
      if (!("\"" + sha + "\"").equals(response.header("ETag"))) {
        e.failure = "ETag " + response.header("ETag") + " is not the body's sha256 " + sha;
      }
    } else {
      body = response.text();
    }
    e.complete(history.now(), response.status(), code, response.replayed(), body);
    return response;
  }

  /** Failpoints armed at random while the clients run: counted, so each fires a few times. */
  static final class Chaos implements Runnable {
    private static final List<String> ACTIONS = List.of("1*error", "1*error", "2*error",
        "1*abort", "2*abort", "1*delay(25)");
    private final Failpoints failpoints;
    private final History history;
    private final Random rnd;
    private final long deadlineNanos;
    private final List<String> names = new ArrayList<>();

    Chaos(Failpoints failpoints, History history, long seed,
        long deadlineNanos) {
      this.failpoints = failpoints;
      this.history = history;
      this.rnd = new Random(seed * 7_919L + 17);
      this.deadlineNanos = deadlineNanos;
      Operation.allFailpoints().forEach(f -> names.add(f.name()));
    }

    @Override
    public void run() {
      while (System.nanoTime() < deadlineNanos) {
        try {
          Thread.sleep(60 + rnd.nextInt(200));
        } catch (InterruptedException e) {
          return;
        }
        String name = names.get(rnd.nextInt(names.size()));
        String action = ACTIONS.get(rnd.nextInt(ACTIONS.size()));
        failpoints.set(name, action);
        history.arm(history.now(), name, action);
      }
    }
  }

  /**
   * purgeTrash as Cloud Scheduler runs it, beside the clients: a run every couple of seconds
   * (finding nothing expired, or finishing what a run stopped by a failpoint left), and at
   * {@code moves} moments spread over the run the stack's clock first moves on by the retention,
   * so that everything then in the trash expires: each in its own slot of the run, once the
   * clients have seen a few documents in the trash (or at the end of the slot, whatever they
   * saw), so that a move has something to expire. After such a move runs follow one another until
   * one answers 200, as the next scheduled run would take over from one a failpoint stopped.
   * Every run is recorded with the cutoff it can have taken.
   *
   * <p>The clock moves {@code moves} times the retention in all: the run's idempotency keys must
   * outlive that, or a late retry would find its record expired and execute afresh (see
   * HistoryCheckerTest's IDEMPOTENCY_TTL).
   */
  static final class Purger implements Runnable {
    private static final int RUNS_AFTER_A_MOVE = 8;
    /** The trashed documents the clients saw that make a move worth it. */
    private static final int TRASH_WORTH_A_MOVE = 3;
    private final int client;
    private final World world;
    private final Api api;
    private final TestClock clock;
    private final History history;
    private final Duration retention;
    private final Duration budget;
    private final Random rnd;
    private final long startNanos;
    private final long deadlineNanos;
    private final int moves;
    private int moved;

    /**
     * @param budget how long a run takes new batches: half the request deadline, as the
     *     composition root gives it
     */
    Purger(int client, World world, Api api, TestClock clock, History history,
        Duration retention, Duration budget, long seed, long deadlineNanos, int moves) {
      this.client = client;
      this.world = world;
      this.api = api;
      this.clock = clock;
      this.history = history;
      this.retention = retention;
      this.budget = budget;
      this.rnd = new Random(seed * 104_729L + 29);
      this.startNanos = System.nanoTime();
      this.deadlineNanos = deadlineNanos;
      this.moves = moves;
    }

    @Override
    public void run() {
      while (System.nanoTime() < deadlineNanos) {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        sleep(Math.max(0, Math.min(left, 1_500 + rnd.nextInt(1_000))));
        long now = System.nanoTime();
        if (now >= deadlineNanos) {
          return;
        }
        long slot = (deadlineNanos - startNanos) / (moves + 1);
        long slotEnd = startNanos + (moved + 2) * slot;
        // The move is forced in the last five seconds of its slot, two pauses at least, so that
        // no pause steps over it.
        if (moved < moves && now - startNanos >= (moved + 1) * slot
            && (trashSeen() >= TRASH_WORTH_A_MOVE || now + 5_000_000_000L >= slotEnd)) {
          moved++;
          expireAndPurge("after clock move " + moved);
        } else {
          once(null);
        }
      }
    }

    /** The documents the clients last saw in the trash: a hint, as the clients' own. */
    private long trashSeen() {
      return world.docs.values().stream().flatMap(List::stream)
          .filter(d -> d.trashed().get()).count();
    }

    /**
     * Moves the clock on by the retention, so that everything in the trash now expires, then
     * purges.
     */
    private void expireAndPurge(String note) {
      expire();
      untilAnswered(note);
    }

    private void expire() {
      clock.advance(retention);
      history.note("t+" + history.millis(history.now()) + "ms: the clock moved on by "
          + retention);
    }

    /**
     * After the clients stopped: moves the clock on, then runs until one answers 200 within its
     * budget having purged nothing (a bounded number). Every expired document is then gone, and
     * the tombstones of the runs before it are finished, so the checker can hold every purge to
     * "no tombstone and no object left".
     */
    void expireAndPurgeAll(String note) {
      expire();
      for (int i = 0; i < RUNS_AFTER_A_MOVE; i++) {
        History.Entry e = once(note);
        JsonNode answer = HistoryChecker.json(e.responseBody);
        if (e.status == 200 && e.endNanos - e.startNanos < budget.toNanos() && answer != null
            && answer.path("purged").asInt(-1) == 0) {
          return;
        }
        sleep(100);
      }
      throw new AssertionError("no purge run answered 200 having purged nothing after "
          + RUNS_AFTER_A_MOVE + " runs: see the history");
    }

    /** Runs until one answers 200 (a bounded number): what earlier runs left is finished. */
    private void untilAnswered(String note) {
      for (int i = 0; i < RUNS_AFTER_A_MOVE; i++) {
        if (once(note).status == 200) {
          return;
        }
        sleep(100);
      }
    }

    private History.Entry once(String note) {
      long seq = history.nextSeq();
      String requestId = "h" + seq + "-purge";
      History.Entry e = new History.Entry(seq, client, "", Operation.PURGE_TRASH.functionName(),
          null, requestId, "", null, null, null, false, note, history.now());
      history.add(e);
      Instant before = clock.instant();
      exchange(history, rnd, e, api.post(Operation.PURGE_TRASH).tenant(null)
          .header("X-Request-Id", requestId));
      Instant after = clock.instant();
      history.purge(new History.Purge(e, before.minus(retention), after.minus(retention),
          budget));
      return e;
    }
  }
}

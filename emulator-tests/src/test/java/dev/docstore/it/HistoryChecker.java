package dev.docstore.it;

import static dev.docstore.input.Fields.DEFAULT_CONTENT_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docstore.api.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a recorded {@link History} against the end state of the store ({@link StoreState}).
 * Every check is named; a violation names the offending requests, and {@link Report#render}
 * prints them as history lines with the seed and the command that reproduces the run.
 *
 * <p>What is checked: CONTRACT.md's invariants; every idempotency key has at most one effect and
 * its replays are identical to the original; every 2xx write's effect is present; every failed
 * write (4xx, 5xx) and every replay left nothing; no row comes from nowhere; version numbers per
 * document are contiguous 1..n and never allocated twice; every tenant saw only its own data;
 * and, after the relay and the deliveries, usage equals the committed writes per
 * tenant/day/operation. The document lifecycle, from each document's commit order (its outbox
 * rows in commit-timestamp order, one per committed write, since every write on a document
 * locks and bumps its row): no write but a restore committed while the document was in the
 * trash; a write sent with If-Match committed only on the etag it named; a 412 wrote nothing;
 * every commit changed the etag; the title is the last committed rename's and the state the
 * last committed trash or restore's. A purge (its document.purged row) closes a document's
 * timeline; each recorded purgeTrash run ({@link History#purges}) removed exactly the expired
 * trash it can have seen, and a purged document answers 404 and leaves nothing
 * ({@link #purges}).
 *
 * <p>With {@link Faults#TRANSPORT} (the nemesis runs) a request that got no response is an
 * unknown outcome, not a contract violation; a key whose unknown attempts a later same-payload
 * retry answered is known again, so its effect (a replay's) must be present and is counted in
 * usage. When the run read every live version back ({@link StoreState#served}), each must answer
 * 200 with its bytes.
 *
 * <p>Not a violation: a 409 {@code version_state} or {@code version_is_active}, or a 404 on a
 * version that raced with a concurrent write. The checker keeps no model of which request
 * should win a race; it checks that whatever answered left exactly its own effect.
 */
public final class HistoryChecker {
  public static final String INVARIANTS = "invariants";
  public static final String CONTRACT = "contract";
  public static final String INTERNAL = "no-internal-errors";
  public static final String SINGLE_EFFECT = "key-single-effect";
  public static final String REPLAY_IDENTICAL = "replay-identical";
  public static final String RETRY_REPLAYS = "retry-after-commit-replays";
  public static final String KEY_REUSED = "key-reused-409";
  public static final String EFFECT_PRESENT = "committed-effect-present";
  public static final String LEFT_NOTHING = "failed-left-nothing";
  public static final String FROM_NOWHERE = "no-row-from-nowhere";
  public static final String CONTIGUOUS = "versions-contiguous";
  public static final String ISOLATION = "tenant-isolation";
  public static final String EXISTING = "existing-not-404";
  public static final String USAGE = "usage-equals-commits";
  public static final String TRASH_READ_ONLY = "trash-read-only";
  public static final String IF_MATCH_HELD = "if-match-held";
  public static final String PRECONDITION_NOTHING = "412-wrote-nothing";
  public static final String ETAG_CHANGES = "etag-changes-every-commit";
  public static final String FINAL_TITLE = "title-is-last-rename";
  public static final String FINAL_STATE = "state-is-last-trash-or-restore";
  public static final String CONTENT_SERVED = "content-served-back";
  public static final String PURGE_CLOSES = "purge-closes-timeline";
  public static final String PURGE_EXACT = "purge-exact";
  public static final String PURGE_LEAVES_NOTHING = "purge-leaves-nothing";
  public static final String NO_WRITE_AFTER_PURGE = "no-write-after-purge";
  public static final String PURGED_404 = "purged-answers-404";

  /** The checks, most telling first: the order of a report. */
  static final List<String> ORDER = List.of(SINGLE_EFFECT, EFFECT_PRESENT, CONTENT_SERVED,
      LEFT_NOTHING, PURGE_EXACT, PURGE_CLOSES, NO_WRITE_AFTER_PURGE, PURGED_404,
      PURGE_LEAVES_NOTHING,
      TRASH_READ_ONLY, IF_MATCH_HELD, PRECONDITION_NOTHING, REPLAY_IDENTICAL, RETRY_REPLAYS,
      KEY_REUSED, CONTIGUOUS, FINAL_STATE, FINAL_TITLE, ETAG_CHANGES, ISOLATION, USAGE,
      FROM_NOWHERE, EXISTING, INVARIANTS, INTERNAL, CONTRACT);

  public record Violation(String check, String message, List<History.Entry> requests) {}

  private static final String PURGED = Operation.PURGE_TRASH.eventType();

  /** The faults a run injects, and so which outcomes are allowed. */
  public enum Faults {
    /** Failpoints inside the functions: every request gets an answer; none is a bug. */
    IN_PROCESS,
    /**
     * Killed processes or a faulty network (the nemesis runs): a request may get no response
     * (refused, reset, timed out), an unknown outcome that same-key retries settle. A client
     * failure that is not a transport failure (an answer that breaks the contract) still counts.
     */
    TRANSPORT
  }

  private final History history;
  private final StoreState state;
  private final Faults faults;
  private final List<Violation> violations = new ArrayList<>();
  private final List<History.Entry> entries;
  private final Map<String, List<StoreState.Outbox>> outboxByRequest = new HashMap<>();
  private final Map<String, String> owner = new HashMap<>();
  private final Map<String, StoreState.Ver> versions = new HashMap<>();
  private final Map<String, StoreState.Idem> records = new HashMap<>();
  /** documentId → the committed createDocument that made it. */
  private final Map<String, History.Entry> creators = new HashMap<>();
  /** documentId/version → the committed createDocumentVersion(s) that allocated it. */
  private final Map<String, List<History.Entry>> allocators = new HashMap<>();
  /** tenant/documentId → its committed writes, in commit order. */
  private final Map<String, List<Commit>> timelines = new TreeMap<>();
  /** The purgeTrash runs, by request id (the request id of every purge the run committed). */
  private final Map<String, History.Purge> purgeRuns = new HashMap<>();
  /** tenant/documentId → the purge that removed it: its commit's run. */
  private final Map<String, History.Purge> purgedBy = new HashMap<>();

  /**
   * One committed write on a document: its outbox row, the request that carried its request id
   * (null for a row from nowhere, reported apart) and its answer, when known: the response, or
   * for a request that got none, the idempotency record its key stored in the same commit.
   */
  private record Commit(StoreState.Outbox row, History.Entry entry, JsonNode answer) {
    String etagAfter() {
      return answer == null ? null : answer.at("/document/etag").asText(null);
    }
  }

  private HistoryChecker(History history, StoreState state, Faults faults) {
    this.history = history;
    this.state = state;
    this.faults = faults;
    this.entries = history.entries();
    for (StoreState.Outbox o : state.outbox) {
      outboxByRequest.computeIfAbsent(o.requestId(), k -> new ArrayList<>()).add(o);
    }
    state.documents.forEach(d -> owner.put(d.documentId(), d.tenant()));
    state.versions.forEach(v -> versions.put(v.tenant() + "/" + v.documentId() + "/"
        + v.version(), v));
    state.idempotency.forEach(r -> records.put(r.tenant() + "\u0000" + r.key(), r));
    Map<String, History.Entry> byRequest = new HashMap<>();
    entries.forEach(e -> byRequest.put(e.requestId, e));
    for (StoreState.Outbox o : state.outbox) {
      History.Entry e = byRequest.get(o.requestId());
      JsonNode answer = null;
      if (e != null && e.committed()) {
        answer = json(e.responseBody);
      } else if (e != null && unknown(e) && e.key != null
          && records.containsKey(e.tenant + "\u0000" + e.key)) {
        answer = json(records.get(e.tenant + "\u0000" + e.key).body());
      }
      timelines.computeIfAbsent(o.tenant() + "/" + o.documentId(), k -> new ArrayList<>())
          .add(new Commit(o, e, answer));
    }
    timelines.values().forEach(t -> t.sort(Comparator.comparing(c -> c.row().occurredAt())));
    history.purges().forEach(p -> purgeRuns.put(p.entry().requestId, p));
    for (StoreState.Outbox o : state.outbox) {
      if (o.type().equals(PURGED) && purgeRuns.containsKey(o.requestId())) {
        purgedBy.put(o.tenant() + "/" + o.documentId(), purgeRuns.get(o.requestId()));
        // Its row is gone, and the tenant its commit named is the one it belonged to.
        owner.putIfAbsent(o.documentId(), o.tenant());
      }
    }
    for (History.Entry e : entries) {
      if (!e.committed()) {
        continue;
      }
      JsonNode body = json(e.responseBody);
      if (body == null) {
        continue;
      }
      if (e.function.equals("createDocument")) {
        creators.put(body.at("/document/documentId").asText(), e);
      } else if (e.function.equals("createDocumentVersion")) {
        allocators.computeIfAbsent(body.at("/version/documentId").asText() + "/"
            + body.at("/version/version").asLong(), k -> new ArrayList<>()).add(e);
      }
    }
  }

  public static Report check(History history, StoreState state) {
    return check(history, state, Faults.IN_PROCESS);
  }

  public static Report check(History history, StoreState state, Faults faults) {
    HistoryChecker c = new HistoryChecker(history, state, faults);
    c.invariants();
    c.responses();
    c.keys();
    c.committedEffects();
    c.failedLeftNothing();
    c.nothingFromNowhere();
    c.contiguous();
    c.isolation();
    c.existing();
    c.usage();
    c.lifecycle();
    c.preconditions();
    c.served();
    c.purges();
    return new Report(history, c.violations, c.entries.size());
  }

  private void fail(String check, String message, History.Entry... requests) {
    violations.add(new Violation(check, message, List.of(requests)));
  }

  private void fail(String check, String message, List<History.Entry> requests) {
    violations.add(new Violation(check, message, List.copyOf(requests)));
  }

  private void invariants() {
    state.invariantViolations.forEach(v -> fail(INVARIANTS, v));
  }

  private void responses() {
    for (History.Entry e : entries) {
      if (e.failure != null && !(faults == Faults.TRANSPORT && e.unknown()
          && e.transportFailure)) {
        fail(CONTRACT, e.unknown() ? "no response: " + e.failure
            : "the exchange breaks docs/openapi.yaml or the client failed", e);
      }
      if (e.status == 500) {
        fail(INTERNAL, "500 internal: a bug, by the error table of docs/CONTRACT.md", e);
      }
    }
  }

  /** Every key: at most one effect, replays identical, retries after the commit replay. */
  private void keys() {
    Map<String, List<History.Entry>> groups = new LinkedHashMap<>();
    for (History.Entry e : entries) {
      if (e.write() && e.key != null) {
        groups.computeIfAbsent(e.tenant + "\u0000" + e.key, k -> new ArrayList<>()).add(e);
      }
    }
    groups.forEach((groupKey, group) -> {
      String name = "tenant " + group.get(0).tenant + " key " + group.get(0).key;
      List<History.Entry> committed = group.stream().filter(History.Entry::committed).toList();
      // Unknown outcomes that later same-key retries settled are known after all.
      boolean anyUnknown = !settled(group);
      // A request under the key got no response and a retry's replay answered its effect.
      boolean replayedUnknown = committed.isEmpty() && group.stream().anyMatch(History.Entry::ok)
          && group.stream().anyMatch(this::unknown);
      if (committed.size() > 1) {
        fail(SINGLE_EFFECT, name + ": " + committed.size()
            + " requests each answered a new effect (at most one may)", committed);
      }
      List<History.Entry> withRows = group.stream()
          .filter(e -> outboxByRequest.containsKey(e.requestId)).toList();
      long rows = withRows.stream().mapToLong(e -> outboxByRequest.get(e.requestId).size()).sum();
      if (rows > 1 && committed.size() <= 1) {
        fail(SINGLE_EFFECT, name + ": " + rows + " committed writes (outbox rows) under one key",
            withRows);
      }
      History.Entry original = committed.size() == 1 ? committed.get(0) : null;
      StoreState.Idem record = records.get(groupKey);
      if (original != null && record == null) {
        fail(EFFECT_PRESENT, name + ": committed, but no idempotency record holds the key",
            original);
      } else if (original != null && (record.status() != original.status
          || !sameJson(record.body(), original.responseBody))) {
        fail(REPLAY_IDENTICAL, name + ": the stored response (" + record.status() + " "
            + History.clip(record.body(), 200) + ") differs from the original answer", original);
      }
      if (committed.isEmpty() && !replayedUnknown && record != null && !anyUnknown) {
        fail(LEFT_NOTHING, name + ": an idempotency record exists though no request under the"
            + " key committed (" + record.operation() + " " + record.status() + ")", group);
      }
      if (committed.isEmpty() && !replayedUnknown && rows > 0 && !anyUnknown
          && group.stream().anyMatch(this::unknown)) {
        fail(LEFT_NOTHING, name + ": a write committed under the key, but its retries were"
            + " answered with no 2xx", group);
      }
      if (replayedUnknown && !anyUnknown) {
        // The effect of a request that got no response, answered by a retry's replay.
        History.Entry replay = group.stream().filter(History.Entry::ok).findFirst().get();
        if (rows == 0) {
          fail(EFFECT_PRESENT, name + ": a retry replayed " + replay.status + ", but no outbox"
              + " row carries any request id under the key (the write did not commit)", group);
        }
        replayedEffectPresent(replay);
      }
      for (History.Entry e : group) {
        if (e == original || unknown(e)) {
          continue;
        }
        if (e.ok() && e.replayed) {
          if (original != null && !e.samePayload(original)) {
            fail(REPLAY_IDENTICAL, name + ": a replay answered a request with a different"
                + " payload or operation than the original", original, e);
          } else if (original != null && (e.status != original.status
              || !e.responseBody.equals(original.responseBody))) {
            fail(REPLAY_IDENTICAL, name + ": the replay differs from the original answer",
                original, e);
          } else if (original == null && record == null && !anyUnknown) {
            fail(REPLAY_IDENTICAL, name + ": a replay, but nothing committed under the key", e);
          } else if (original == null && record != null
              && !sameJson(record.body(), e.responseBody)) {
            fail(REPLAY_IDENTICAL, name + ": the replay differs from the stored response", e);
          }
        }
        if (original != null && e.startedAfter(original) && e.status < 500
            && !knownRestoreRace(e)) {
          if (e.samePayload(original) && !(e.ok() && e.replayed)) {
            fail(RETRY_REPLAYS, name + ": a same-payload retry sent after the original"
                + " committed must replay it (200/201, Idempotent-Replayed), got " + e.status
                + " " + e.code, original, e);
          } else if (!e.samePayload(original) && !(e.status == 409
              && "idempotency_key_reused".equals(e.code))) {
            fail(KEY_REUSED, name + ": a different request under a committed key must be 409"
                + " idempotency_key_reused, got " + e.status + " " + e.code, original, e);
          }
        }
        if (e.status == 409 && "idempotency_key_reused".equals(e.code)) {
          boolean explained = group.stream().anyMatch(x -> x != e && !x.samePayload(e)
              && (x.committed() || unknown(x)) && x.startNanos < e.endNanos);
          if (!explained) {
            fail(KEY_REUSED, name + ": 409 idempotency_key_reused, but no different request"
                + " committed under the key before it", group);
          }
        }
      }
    });
  }

  /**
   * Whether the request's effect is unknown to its client: no response, or, where the faults are
   * outside the process (TRANSPORT), a 503 on a write, which may report a commit whose outcome the
   * server itself could not learn (its answer was cut off by the network or the deadline). Such a
   * 503 may have committed; a same-key retry settles it (it replays, or executes afresh).
   */
  private boolean unknown(History.Entry e) {
    return e.unknown() || faults == Faults.TRANSPORT && e.write() && e.status == 503;
  }

  /**
   * Every request under the key that got no response has a later attempt with the same payload
   * that got an answer other than 503: its outcome is known (the answer replays it, or shows it
   * did not commit). Trivially true for a key whose requests all got answers.
   */
  private boolean settled(List<History.Entry> group) {
    return group.stream().filter(this::unknown).allMatch(u -> group.stream()
        .anyMatch(x -> x != u && !x.unknown() && x.status != 503 && x.samePayload(u)
            && x.startedAfter(u)));
  }

  /** A replay answering an unknown original: the document or version it names is there. */
  private void replayedEffectPresent(History.Entry replay) {
    JsonNode body = json(replay.responseBody);
    if (body == null) {
      return;
    }
    if (replay.function.equals("createDocument")) {
      String id = body.at("/document/documentId").asText();
      if (!replay.tenant.equals(owner.get(id))) {
        fail(EFFECT_PRESENT, "document " + id + ", answered by a replay, is not in the tenant's"
            + " Documents", replay);
      }
      versionPresent(replay, id, 1);
    } else if (replay.function.equals("createDocumentVersion")) {
      versionPresent(replay, body.at("/version/documentId").asText(),
          body.at("/version/version").asLong());
    }
  }

  /**
   * Known issue, fixed separately: concurrent restores of one deleted version race between the
   * pre-transaction object restore and the transaction (a check-then-restore in
   * ContentStore.restore), and the loser may answer 409 version_state before its idempotency
   * check. Not counted as a violation while another restore of the same version overlapped it;
   * the end state is still checked in full.
   */
  private boolean knownRestoreRace(History.Entry e) {
    return e.function.equals("restoreDocumentVersion") && e.status == 409
        && "version_state".equals(e.code) && entries.stream().anyMatch(x -> x != e
            && x.function.equals(e.function) && Objects.equals(x.documentId, e.documentId)
            && Objects.equals(x.version, e.version) && x.startNanos < e.endNanos
            && (x.endNanos == 0 || e.startNanos < x.endNanos));
  }

  private static String eventType(String function) {
    return Operation.forFunctionName(function).filter(Operation::isWrite)
        .orElseThrow(() -> new IllegalArgumentException(function)).eventType();
  }

  private static String function(String eventType) {
    return Operation.forEventType(eventType)
        .orElseThrow(() -> new IllegalArgumentException(eventType)).functionName();
  }

  /** Every 2xx write that reports a new effect: its event, rows and content are there. */
  private void committedEffects() {
    for (History.Entry e : entries) {
      if (!e.committed()) {
        continue;
      }
      List<StoreState.Outbox> rows = outboxByRequest.getOrDefault(e.requestId, List.of());
      JsonNode body = json(e.responseBody);
      if (rows.isEmpty()) {
        fail(EFFECT_PRESENT, "answered " + e.status + " but no outbox row carries its request id"
            + " (the write did not commit, or committed without its event)", e);
      } else if (rows.size() > 1) {
        fail(SINGLE_EFFECT, "one request, " + rows.size() + " outbox rows", e);
      } else {
        StoreState.Outbox row = rows.get(0);
        String docId = body == null ? null : body.at("/document/documentId").asText();
        if (!row.type().equals(eventType(e.function)) || !row.tenant().equals(e.tenant)
            || !Objects.equals(row.documentId(), docId)) {
          fail(EFFECT_PRESENT, "its outbox row does not match: " + row, e);
        } else if (e.version != null && !e.version.equals(row.version())) {
          fail(EFFECT_PRESENT, "its outbox row names version " + row.version(), e);
        }
      }
      if (body == null) {
        continue;
      }
      switch (e.function) {
        case "createDocument" -> {
          String id = body.at("/document/documentId").asText();
          if (!e.tenant.equals(owner.get(id))) {
            fail(EFFECT_PRESENT, "document " + id + " is not in the tenant's Documents", e);
          }
          versionPresent(e, id, 1);
        }
        case "createDocumentVersion" -> versionPresent(e, body.at("/version/documentId").asText(),
            body.at("/version/version").asLong());
        default -> {
          if (!Objects.equals(e.documentId, body.at("/document/documentId").asText())) {
            fail(EFFECT_PRESENT, "the answer names another document", e);
          }
        }
      }
      answerShowsItsEffect(e, body.path("document"));
    }
  }

  /** The document in a write's answer is in the state that write leaves it in. */
  private void answerShowsItsEffect(History.Entry e, JsonNode document) {
    String shown = document.path("state").asText();
    boolean trashedAt = document.hasNonNull("trashedAt");
    if (e.function.equals("deleteDocument")) {
      if (!shown.equals("TRASHED") || !trashedAt) {
        fail(EFFECT_PRESENT, "deleteDocument answered a document that is not in the trash"
            + " (state " + shown + ", trashedAt " + (trashedAt ? "set" : "absent") + ")", e);
      }
    } else if (!shown.equals("LIVE") || trashedAt) {
      fail(EFFECT_PRESENT, e.function + " answered a document in state " + shown
          + (trashedAt ? " with a trashedAt" : "") + " (only deleteDocument leaves it trashed)",
          e);
    }
    if (e.function.equals("updateDocument")) {
      JsonNode request = json(e.payload);
      if (request != null && !request.path("title").asText().equals(
          document.path("title").asText())) {
        fail(EFFECT_PRESENT, "updateDocument answered another title than it was sent", e);
      }
    }
  }

  private void versionPresent(History.Entry e, String documentId, long number) {
    if (purgedBy.containsKey(e.tenant + "/" + documentId)) {
      return; // its versions went with it, checked under purge-leaves-nothing
    }
    StoreState.Ver v = versions.get(e.tenant + "/" + documentId + "/" + number);
    if (v == null) {
      fail(EFFECT_PRESENT, "version " + documentId + " v" + number + " is not in Spanner", e);
    } else if (e.contentSha256 != null && !e.contentSha256.equals(v.sha256())) {
      fail(EFFECT_PRESENT, "version " + documentId + " v" + number
          + " holds other content (sha256 " + v.sha256() + ")", e);
    }
  }

  /** Every rejected or failed write, and every replay: no outbox row, so no event. */
  private void failedLeftNothing() {
    for (History.Entry e : entries) {
      if (e.function.equals("createDocumentVersion") && e.key == null && e.ok() && e.replayed) {
        // The keyless dedupe answers a request that would change nothing: the latest version
        // holds the same content with the same type, and is active if activation was asked for.
        JsonNode body = json(e.responseBody);
        JsonNode request = json(e.payload);
        if (body == null || request == null || !Objects.equals(e.contentSha256,
            body.at("/version/contentSha256").asText())) {
          fail(REPLAY_IDENTICAL, "a keyless repeat was deduplicated to a version with other"
              + " content", e);
        } else if (!request.path("contentType").asText(DEFAULT_CONTENT_TYPE)
            .equals(body.at("/version/contentType").asText())) {
          fail(REPLAY_IDENTICAL, "a keyless request for another contentType was deduplicated",
              e);
        } else if (request.path("activate").asBoolean(true)
            && body.at("/document/activeVersion").asLong()
                != body.at("/version/version").asLong()) {
          fail(REPLAY_IDENTICAL, "a keyless request to activate was deduplicated to a version"
              + " that is not active", e);
        }
      }
    }
    for (History.Entry e : entries) {
      if (!e.write() || unknown(e) || e.committed()) {
        continue;
      }
      List<StoreState.Outbox> rows = outboxByRequest.get(e.requestId);
      if (rows != null) {
        fail(LEFT_NOTHING, (e.replayed ? "a replay" : "a failed write (" + e.status + ")")
            + " left " + rows.size() + " outbox row(s): " + rows, e);
      }
    }
  }

  /** Every row comes from a request that answered a new effect (or had no answer). */
  private void nothingFromNowhere() {
    Map<String, History.Entry> byRequest = new HashMap<>();
    entries.forEach(e -> byRequest.put(e.requestId, e));
    for (StoreState.Outbox o : state.outbox) {
      if (!byRequest.containsKey(o.requestId())) {
        fail(FROM_NOWHERE, "outbox row " + o + " from no recorded request");
      }
    }
    Map<String, Long> unknownCreates = entries.stream()
        .filter(e -> unknown(e) && e.function.equals("createDocument"))
        .collect(Collectors.groupingBy(e -> e.tenant, Collectors.counting()));
    Map<String, Long> unexplained = new TreeMap<>();
    for (StoreState.Doc d : state.documents) {
      if (!creators.containsKey(d.documentId())) {
        unexplained.merge(d.tenant(), 1L, Long::sum);
        if (unexplained.get(d.tenant()) > unknownCreates.getOrDefault(d.tenant(), 0L)) {
          fail(FROM_NOWHERE, "document " + d.tenant() + "/" + d.documentId() + " (\""
              + d.title() + "\") was created by no request that answered 201");
        }
      }
    }
    Set<String> unknownVersionDocs = entries.stream()
        .filter(e -> unknown(e) && e.function.equals("createDocumentVersion"))
        .map(e -> e.documentId).collect(Collectors.toSet());
    for (StoreState.Ver v : state.versions) {
      if (v.version() > 1 && !allocators.containsKey(v.documentId() + "/" + v.version())
          && !unknownVersionDocs.contains(v.documentId())) {
        fail(FROM_NOWHERE, "version " + v.tenant() + "/" + v.documentId() + " v" + v.version()
            + " was created by no request that answered 201");
      }
    }
    for (StoreState.Idem r : state.idempotency) {
      boolean known = entries.stream().anyMatch(e -> e.tenant.equals(r.tenant())
          && r.key().equals(e.key));
      if (!known) {
        fail(FROM_NOWHERE, "idempotency record " + r.tenant() + "/" + r.key()
            + " for a key no request sent");
      }
    }
  }

  /** Versions 1..n per document, each number allocated once; reads see them contiguous. */
  private void contiguous() {
    allocators.forEach((docVersion, makers) -> {
      if (makers.size() > 1) {
        fail(CONTIGUOUS, "version " + docVersion + " was allocated " + makers.size()
            + " times", makers);
      }
    });
    Map<String, TreeSet<Long>> numbers = new TreeMap<>();
    state.versions.forEach(v -> numbers.computeIfAbsent(v.tenant() + "/" + v.documentId(),
        k -> new TreeSet<>()).add(v.version()));
    Map<String, Long> latest = new HashMap<>();
    state.documents.forEach(d -> latest.put(d.tenant() + "/" + d.documentId(), d.latest()));
    numbers.forEach((doc, set) -> {
      long n = set.size();
      if (set.first() != 1 || set.last() != n || !Objects.equals(latest.get(doc), n)) {
        List<Long> missing = new ArrayList<>();
        for (long i = 1; i <= Math.max(set.last(), latest.getOrDefault(doc, 0L)); i++) {
          if (!set.contains(i)) {
            missing.add(i);
          }
        }
        String id = doc.substring(doc.indexOf('/') + 1);
        List<History.Entry> makers = new ArrayList<>();
        if (creators.containsKey(id)) {
          makers.add(creators.get(id));
        }
        set.forEach(v -> makers.addAll(allocators.getOrDefault(id + "/" + v, List.of())));
        fail(CONTIGUOUS, "document " + doc + " has versions " + set + ", latestVersion "
            + latest.get(doc) + ": not 1..n (missing " + missing + ")", makers);
      }
    });
    for (History.Entry e : entries) {
      if (!e.function.equals("getDocument") || !e.ok()) {
        continue;
      }
      JsonNode body = json(e.responseBody);
      if (body == null) {
        continue;
      }
      long expected = 1;
      boolean ok = true;
      for (JsonNode v : body.path("versions")) {
        ok &= v.path("version").asLong() == expected++;
      }
      ok &= body.at("/document/latestVersion").asLong() == expected - 1;
      if (!ok) {
        fail(CONTIGUOUS, "getDocument answered versions that are not 1..latestVersion", e);
      }
    }
  }

  /** Every response revealed only the caller's own documents; probes got 404. */
  private void isolation() {
    for (History.Entry e : entries) {
      // A 503 (a failpoint or a transient fault before any row was read) answers the same for
      // a missing id, and a 409 idempotency_key_reused is about the caller's own key (checked
      // under key-reused-409), so neither reveals anything; any other answer would.
      if (e.crossTenant && !e.unknown() && e.status < 500
          && !(e.status == 404 && "not_found".equals(e.code))
          && !(e.status == 409 && "idempotency_key_reused".equals(e.code))) {
        fail(ISOLATION, "another tenant's document id must answer 404 not_found, got "
            + e.status + " " + e.code, e);
      }
      if (!e.ok()) {
        continue;
      }
      for (String id : revealed(e)) {
        String o = owner.get(id);
        if (!e.tenant.equals(o)) {
          fail(ISOLATION, "tenant " + e.tenant + " was shown document " + id + ", which "
              + (o == null ? "no tenant holds" : "belongs to tenant " + o), e);
        }
      }
      if (e.function.equals("getVersionContent") && e.documentId != null
          && !purgedBy.containsKey(e.tenant + "/" + e.documentId)) {
        StoreState.Ver v = versions.get(e.tenant + "/" + e.documentId + "/" + e.version);
        if (v == null || !("sha256=" + v.sha256()).equals(e.responseBody)) {
          fail(ISOLATION, "getVersionContent returned bytes that are not the version's ("
              + (v == null ? "no such version of the tenant" : "expected sha256=" + v.sha256())
              + ")", e);
        }
      }
    }
  }

  private List<String> revealed(History.Entry e) {
    JsonNode body = json(e.responseBody);
    List<String> ids = new ArrayList<>();
    if (body == null) {
      if (e.function.equals("getVersionContent") && e.documentId != null) {
        ids.add(e.documentId);
      }
      return ids;
    }
    if (body.has("document")) {
      ids.add(body.at("/document/documentId").asText());
    }
    body.path("versions").forEach(v -> ids.add(v.path("documentId").asText()));
    if (body.has("version")) {
      ids.add(body.at("/version/documentId").asText());
    }
    body.path("documents").forEach(d -> ids.add(d.path("documentId").asText()));
    return ids;
  }

  /** A 404 for a document (or version) whose creation had been answered before the request. */
  private void existing() {
    for (History.Entry e : entries) {
      if (e.status != 404 || e.crossTenant || e.documentId == null) {
        continue;
      }
      History.Entry creator = creators.get(e.documentId);
      if (creator == null || !creator.tenant.equals(e.tenant) || !e.startedAfter(creator)) {
        continue;
      }
      if (e.function.equals("getVersionContent")) {
        continue; // a deleted version's content is 404 too
      }
      History.Purge purge = purgedBy.get(e.tenant + "/" + e.documentId);
      if (purge != null && e.endNanos > purge.entry().startNanos) {
        continue; // it may have been answered after the purge committed: 404 from then on
      }
      if (e.version == null) {
        fail(EXISTING, "404 for document " + e.documentId + ", created before the request"
            + " (documents are removed only by a purge, and none had begun)", creator, e);
        continue;
      }
      History.Entry maker = e.version == 1 ? creator
          : allocators.getOrDefault(e.documentId + "/" + e.version, List.of()).stream()
              .findFirst().orElse(null);
      if (maker != null && e.startedAfter(maker)) {
        fail(EXISTING, "404 for " + e.documentId + " v" + e.version
            + ", created before the request (versions are removed only with their document)",
            maker, e);
      }
    }
  }

  /** After the relay and the deliveries: usage = committed writes, per tenant/day/operation. */
  private void usage() {
    Map<String, Long> expected = new TreeMap<>();
    for (StoreState.Outbox o : state.outbox) {
      expected.merge(o.tenant() + " " + o.day() + " " + function(o.type()), 1L, Long::sum);
      if (o.pending()) {
        fail(USAGE, "event " + o.eventId() + " (" + o.type() + ", request " + o.requestId()
            + ") is still pending after the relay ran");
      }
    }
    // The effects the answers show: each keyless 2xx write, and each key whose requests were
    // answered 2xx (the original, or replays of one that got no response) once.
    Map<String, Long> committed = new TreeMap<>();
    Map<String, List<History.Entry>> groups = new LinkedHashMap<>();
    for (History.Entry e : entries) {
      if (e.write() && e.key != null) {
        groups.computeIfAbsent(e.tenant + "\u0000" + e.key, k -> new ArrayList<>()).add(e);
      } else if (e.committed()) {
        committed.merge(e.tenant + " " + e.function, 1L, Long::sum);
      }
    }
    boolean anyUnknown = entries.stream().anyMatch(e -> unknown(e) && e.write()
        && e.key == null);
    for (List<History.Entry> group : groups.values()) {
      anyUnknown |= !settled(group);
      group.stream().filter(History.Entry::ok).findFirst().ifPresent(e ->
          committed.merge(e.tenant + " " + e.function, 1L, Long::sum));
    }
    // A purge's rows answer no tenant's request: they are checked against its run's answer
    // under purge-exact.
    Map<String, Long> byFunction = new TreeMap<>();
    state.outbox.stream().filter(o -> !o.type().equals(PURGED)).forEach(o -> byFunction.merge(
        o.tenant() + " " + function(o.type()), 1L, Long::sum));
    if (!anyUnknown && !committed.equals(byFunction)) {
      fail(USAGE, "committed writes answered per tenant/operation " + committed
          + " differ from the committed writes in Spanner " + byFunction);
    }
    compareUsage("DailyApiUsage", expected, state.usage);
    if (!state.apiUsage.isEmpty() || state.usage.isEmpty()) {
      compareUsage("getUsage", expected, state.apiUsage);
    }
    Set<String> events = state.outbox.stream().map(o -> o.tenant() + "/" + o.eventId())
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> processed = new TreeSet<>(state.processedEvents);
    if (!events.equals(processed)) {
      Set<String> unprocessed = new TreeSet<>(events);
      unprocessed.removeAll(processed);
      Set<String> extra = new TreeSet<>(processed);
      extra.removeAll(events);
      // The requests whose commits wrote the events never counted (their outbox rows).
      Set<String> lostRequests = state.outbox.stream()
          .filter(o -> unprocessed.contains(o.tenant() + "/" + o.eventId()))
          .map(StoreState.Outbox::requestId).collect(Collectors.toSet());
      fail(USAGE, "ProcessedEvents differ from the committed events: never counted "
          + unprocessed + ", counted without a commit " + extra + " (the requests that wrote"
          + " the events never counted below)", entries.stream()
              .filter(e -> lostRequests.contains(e.requestId)).toList());
    }
  }

  private void compareUsage(String source, Map<String, Long> expected,
      List<StoreState.Usage> actualRows) {
    Map<String, Long> actual = new TreeMap<>();
    actualRows.forEach(u -> actual.merge(u.tenant() + " " + u.day() + " " + u.operation(),
        u.count(), Long::sum));
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String k : keys) {
      long want = expected.getOrDefault(k, 0L);
      long got = actual.getOrDefault(k, 0L);
      if (want != got) {
        String[] parts = k.split(" ");
        List<History.Entry> writes = entries.stream().filter(e -> e.committed()
            && e.tenant.equals(parts[0]) && e.function.equals(parts[2])).limit(3).toList();
        fail(USAGE, source + " " + k + " = " + got + ", but " + want
            + " writes committed (first of them below)", writes);
      }
    }
  }

  /**
   * Each document's commits in commit order: while it is in the trash only a restore commits, a
   * trash only on a live document and a restore only on a trashed one; its title ends as the
   * last committed rename (or its creation) named, its state as the last committed trash or
   * restore left it. Commit timestamps order the writes of one document strictly: each one
   * locks and rewrites the document row, so two of them never share one.
   *
   * <p>A purge closes a timeline: its document.purged row follows a trash that is still the
   * document's last state change, and nothing commits after it ({@link #purges} checks what it
   * leaves and answers afterwards).
   */
  private void lifecycle() {
    Map<String, StoreState.Doc> docs = new HashMap<>();
    state.documents.forEach(d -> docs.put(d.tenant() + "/" + d.documentId(), d));
    timelines.forEach((doc, commits) -> {
      String current = null;
      Commit trashedBy = null;
      Commit lastMove = null;
      String title = null;
      Commit lastRename = null;
      Commit purge = null;
      for (int i = 0; i < commits.size(); i++) {
        Commit c = commits.get(i);
        if (i > 0 && c.row().occurredAt().equals(commits.get(i - 1).row().occurredAt())) {
          fail(TRASH_READ_ONLY, "document " + doc + ": two commits share the commit timestamp "
              + c.row().occurredAt() + ", so their order is unknown", requests(
                  commits.get(i - 1), c));
        }
        String function = function(c.row().type());
        if (purge != null) {
          fail(PURGE_CLOSES, "document " + doc + ": " + function + " committed after the"
              + " document was purged (first below)", requests(purge, c));
          continue;
        }
        switch (function) {
          case "createDocument" -> {
            current = "LIVE";
            title = requestedTitle(c);
          }
          case "deleteDocument" -> {
            if ("TRASHED".equals(current)) {
              fail(TRASH_READ_ONLY, "document " + doc + ": deleteDocument committed on a"
                  + " document already in the trash (it must answer 409 document_state)",
                  requests(trashedBy, c));
            }
            current = "TRASHED";
            trashedBy = c;
            lastMove = c;
          }
          case "restoreDocument" -> {
            if (!"TRASHED".equals(current)) {
              fail(TRASH_READ_ONLY, "document " + doc + ": restoreDocument committed on a live"
                  + " document (it must answer 409 document_state)", requests(c));
            }
            current = "LIVE";
            trashedBy = null;
            lastMove = c;
          }
          case "purgeTrash" -> {
            if (!"TRASHED".equals(current)) {
              fail(PURGE_CLOSES, "document " + doc + ": purgeTrash removed it while it was "
                  + current + " (its last state change, first below, must be a trash)",
                  requests(lastMove, c));
            }
            purge = c;
          }
          default -> {
            if ("TRASHED".equals(current)) {
              fail(TRASH_READ_ONLY, "document " + doc + ": " + function + " committed while"
                  + " the document was in the trash (trashed by the first request below)",
                  requests(trashedBy, c));
            }
            if (function.equals("updateDocument")) {
              title = requestedTitle(c);
              lastRename = c;
            }
          }
        }
      }
      StoreState.Doc end = docs.get(doc);
      if (end == null || purge != null) {
        // No document row: reported under no-row-from-nowhere or committed-effect, or purged
        // (a row left is reported under purge-leaves-nothing).
        return;
      }
      if (current != null && !current.equals(end.state())) {
        fail(FINAL_STATE, "document " + doc + " ends " + end.state() + ", but the last committed"
            + " trash or restore left it " + current, requests(lastMove));
      }
      if (title != null && !title.equals(end.title())) {
        fail(FINAL_TITLE, "document " + doc + " ends titled \"" + end.title() + "\", but the"
            + " last committed " + (lastRename == null ? "write naming it (its creation)"
                : "rename") + " named \"" + title + "\"", requests(lastRename));
      }
    });
  }

  /** The title a committed create or rename set: its answer's, else its request's. */
  private static String requestedTitle(Commit c) {
    if (c.answer() != null && c.answer().at("/document/title").isTextual()) {
      return c.answer().at("/document/title").asText();
    }
    JsonNode request = c.entry() == null ? null : json(c.entry().payload);
    return request == null || !request.path("title").isTextual() ? null
        : request.path("title").asText();
  }

  private static List<History.Entry> requests(Commit... commits) {
    List<History.Entry> out = new ArrayList<>();
    for (Commit c : commits) {
      if (c != null && c.entry() != null) {
        out.add(c.entry());
      }
    }
    return out;
  }

  /**
   * If-Match, in commit order: a write sent with If-Match E committed only where the etag before
   * it (the previous commit's answer) was E or E was {@code *}; every commit changed the etag and
   * bumped the revision once; a 412 left no outbox row, no idempotency record of its own and no
   * event (so nothing in the census of that request), and named a current etag that its
   * If-Match does not hold.
   */
  private void preconditions() {
    Map<String, StoreState.Doc> docs = new HashMap<>();
    state.documents.forEach(d -> docs.put(d.tenant() + "/" + d.documentId(), d));
    Map<String, Set<String>> etags = new HashMap<>();
    Set<String> fullyKnown = new java.util.HashSet<>();
    timelines.forEach((doc, commits) -> {
      Map<String, Commit> seen = new HashMap<>();
      for (int i = 0; i < commits.size(); i++) {
        Commit c = commits.get(i);
        String after = c.etagAfter();
        if (after != null && seen.containsKey(after)) {
          fail(ETAG_CHANGES, "document " + doc + ": two commits answered the same etag "
              + after, requests(seen.get(after), c));
        } else if (after != null) {
          seen.put(after, c);
        }
        String ifMatch = c.entry() == null ? null : c.entry().ifMatch;
        String before = i == 0 ? null : commits.get(i - 1).etagAfter();
        if (ifMatch != null && before != null && !tags(ifMatch).contains("*")
            && !tags(ifMatch).contains(before)) {
          fail(IF_MATCH_HELD, "document " + doc + ": a write with If-Match " + ifMatch
              + " committed where the etag before it was " + before
              + " (the commit before it, first below)", requests(commits.get(i - 1), c));
        }
      }
      etags.put(doc, seen.keySet());
      if (seen.size() == commits.size()) {
        fullyKnown.add(doc);
      }
      StoreState.Doc end = docs.get(doc);
      if (end != null && end.revision() != commits.size()) {
        fail(ETAG_CHANGES, "document " + doc + " ends at revision " + end.revision() + " after "
            + commits.size() + " committed writes (each write bumps it once)",
            requests(commits.get(commits.size() - 1)));
      }
    });
    Map<String, List<History.Entry>> groups = new HashMap<>();
    for (History.Entry e : entries) {
      if (e.write() && e.key != null) {
        groups.computeIfAbsent(e.tenant + "\u0000" + e.key, k -> new ArrayList<>()).add(e);
      }
    }
    for (History.Entry e : entries) {
      if (!e.write() || e.status != 412) {
        continue;
      }
      if (outboxByRequest.containsKey(e.requestId)) {
        fail(PRECONDITION_NOTHING, "a 412 left " + outboxByRequest.get(e.requestId).size()
            + " outbox row(s), so an event and a write", e);
      }
      StoreState.Idem record = e.key == null ? null : records.get(e.tenant + "\u0000" + e.key);
      if (record != null) {
        boolean explained = groups.get(e.tenant + "\u0000" + e.key).stream()
            .anyMatch(x -> x != e && (x.committed() || unknown(x)));
        if (record.status() == 412 || !explained) {
          fail(PRECONDITION_NOTHING, "a 412 under key " + e.key + ", and the key holds a"
              + " record (" + record.status() + ") that no other request under it explains", e);
        }
      }
      JsonNode problem = json(e.responseBody);
      String current = problem == null ? null : problem.path("etag").asText(null);
      if (!"precondition_failed".equals(e.code) || current == null) {
        fail(PRECONDITION_NOTHING, "a 412 must be precondition_failed with the current etag as"
            + " its etag member", e);
      } else if (e.ifMatch == null || tags(e.ifMatch).contains("*")
          || tags(e.ifMatch).contains(current)) {
        fail(PRECONDITION_NOTHING, "412 though If-Match " + e.ifMatch + " holds the current"
            + " etag " + current + " it names (or any)", e);
      } else if (fullyKnown.contains(e.tenant + "/" + e.documentId)
          && !etags.get(e.tenant + "/" + e.documentId).contains(current)) {
        fail(PRECONDITION_NOTHING, "412 names etag " + current + ", which the document never"
            + " had", e);
      }
    }
  }

  /**
   * purgeTrash, run by run and document by document.
   *
   * <p>purge-exact: a run purges only documents whose trash (the commit before its purge, with
   * the trashedAt the stack's clock gave it) is at or before the run's cutoff; a run that answered
   * 200 counts as {@code purged} exactly its document.purged rows, and leaves no expired document
   * in the trash. That last part names a document only when the run cannot have skipped it: its
   * trash was answered before the run was sent, with a trashedAt at or before the earliest cutoff
   * the run can have taken, and the document's next commit is this run's purge, or none, or one
   * sent after the run answered (a restore or trash sent while the run ran may have come first,
   * and the run then rightly skips it, as may a run stopped by its time budget).
   *
   * <p>After the run that purged it answered, every call on the document (other tenants' probes
   * aside) answers 404 not_found; a keyed retry of an earlier write may still replay its stored
   * answer (or be 409 idempotency_key_reused), and a 503 is a fault. No write commits on it
   * (no-write-after-purge), and no listing shows it. At the end it has no row and no version,
   * and once a later run has answered 200, no tombstone and no object under its prefix (before
   * that, objects with a tombstone are what the next run deletes, as the invariants allow).
   */
  private void purges() {
    Map<String, Long> rowsByRun = new HashMap<>();
    state.outbox.stream().filter(o -> o.type().equals(PURGED))
        .forEach(o -> rowsByRun.merge(o.requestId(), 1L, Long::sum));
    for (History.Purge run : purgeRuns.values()) {
      JsonNode answer = run.entry().status == 200 ? json(run.entry().responseBody) : null;
      long rows = rowsByRun.getOrDefault(run.entry().requestId, 0L);
      if (answer != null && answer.path("purged").asLong(-1) != rows) {
        fail(PURGE_EXACT, "a purge run answered purged=" + answer.path("purged") + ", but "
            + rows + " document.purged rows carry its request id", run.entry());
      }
    }
    timelines.forEach((doc, commits) -> {
      for (int i = 0; i < commits.size(); i++) {
        Commit c = commits.get(i);
        if (c.row().type().equals(PURGED) && i > 0) {
          purgedOnlyExpired(doc, commits.get(i - 1), c);
        } else if (function(c.row().type()).equals("deleteDocument")) {
          Commit next = i + 1 < commits.size() ? commits.get(i + 1) : null;
          purgeRuns.values().stream().filter(History.Purge::ranToTheEnd)
              .forEach(run -> expiredTrashTaken(doc, c, next, run));
        }
      }
    });
    Set<String> rows = new HashSet<>();
    state.documents.forEach(d -> rows.add(d.tenant() + "/" + d.documentId()));
    state.versions.forEach(v -> rows.add(v.tenant() + "/" + v.documentId()));
    List<History.Purge> runs = history.purges();
    History.Purge last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
    purgedBy.forEach((doc, run) -> {
      List<History.Entry> by = List.of(run.entry());
      if (rows.contains(doc)) {
        fail(PURGE_LEAVES_NOTHING, "document " + doc + " was purged, but its row or versions"
            + " are still there", by);
      }
      if (last != null && last != run && last.ranToTheEnd() && last.entry().startedAfter(
          run.entry())) {
        if (state.tombstones.contains(doc)) {
          fail(PURGE_LEAVES_NOTHING, "document " + doc + " keeps its tombstone after a later"
              + " run answered 200 (the second request below)", by.get(0), last.entry());
        }
        state.objects.stream().filter(name -> name.startsWith(doc + "/")).findFirst()
            .ifPresent(name -> fail(PURGE_LEAVES_NOTHING, "object " + name + " of purged"
                + " document " + doc + " is left after a later run answered 200 (the second"
                + " request below)", by.get(0), last.entry()));
      }
    });
    Map<History.Purge, History.Entry> settled = settledBy(runs);
    for (History.Entry e : entries) {
      History.Purge run = e.documentId == null || e.crossTenant ? null
          : purgedBy.get(e.tenant + "/" + e.documentId);
      if (run != null && settled.containsKey(run) && e.startedAfter(settled.get(run))) {
        answeredAsPurged(e, run);
      }
      if (e.function.equals("listDocuments") && e.ok()) {
        for (String id : revealed(e)) {
          History.Purge gone = purgedBy.get(e.tenant + "/" + id);
          if (gone != null && settled.containsKey(gone)
              && e.startedAfter(settled.get(gone))) {
            fail(PURGED_404, "listDocuments listed document " + id + ", which a purge run"
                + " (first below) had removed", gone.entry(), e);
          }
        }
      }
    }
  }

  /**
   * The request after whose answer a run's purges are surely committed: the run's own when it
   * answered 200. A run with no answer, or a 503 (one may come at the deadline while a commit it
   * cancelled is still applied), is settled by the next run's answer instead: the one purger
   * sends its runs one after another. A run with no next one settles nothing.
   */
  private static Map<History.Purge, History.Entry> settledBy(List<History.Purge> runs) {
    Map<History.Purge, History.Entry> settled = new HashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      History.Purge run = runs.get(i);
      if (run.entry().status == 200) {
        settled.put(run, run.entry());
      } else if (i + 1 < runs.size()) {
        settled.put(run, runs.get(i + 1).entry());
      }
    }
    return settled;
  }

  /** The purge commit {@code purge} followed {@code trash}: trashed at or before its cutoff. */
  private void purgedOnlyExpired(String doc, Commit trash, Commit purge) {
    History.Purge run = purgeRuns.get(purge.row().requestId());
    Instant trashedAt = trashedAt(trash);
    if (run != null && trashedAt != null && trashedAt.isAfter(run.latestCutoff())) {
      fail(PURGE_EXACT, "document " + doc + " was purged, but it was trashed at " + trashedAt
          + ", after the run's cutoff (at most " + run.latestCutoff() + ")",
          requests(trash, purge));
    }
  }

  /**
   * {@code run} answered 200 within its budget: if {@code trash} had expired and stayed the
   * document's last commit all through the run, the run purged it.
   */
  private void expiredTrashTaken(String doc, Commit trash, Commit next, History.Purge run) {
    Instant trashedAt = trashedAt(trash);
    if (trash.entry() == null || !run.entry().startedAfter(trash.entry()) || trashedAt == null
        || trashedAt.isAfter(run.earliestCutoff())) {
      return;
    }
    if (next != null) {
      History.Purge by = next.row().type().equals(PURGED)
          ? purgeRuns.get(next.row().requestId()) : null;
      History.Entry nextEntry = by != null ? by.entry() : next.entry();
      if (by == run || nextEntry == null || unknown(nextEntry)
          || nextEntry.startNanos < run.entry().endNanos) {
        return; // this run took it, or what came next may have come before the run reached it
      }
    }
    List<History.Entry> shown = new ArrayList<>(requests(trash, next));
    shown.add(run.entry());
    fail(PURGE_EXACT, "document " + doc + ", trashed at " + trashedAt + ", at or before the"
        + " run's cutoff (at least " + run.earliestCutoff() + "), stayed in the trash all through"
        + " a run that answered 200, which did not purge it", shown);
  }

  /** The trashedAt a committed trash answered, when its answer is known. */
  private static Instant trashedAt(Commit trash) {
    JsonNode at = trash.answer() == null ? null : trash.answer().at("/document/trashedAt");
    return at == null || !at.isTextual() ? null : Instant.parse(at.asText());
  }

  /** A call on a document sent after the run that purged it had answered. */
  private void answeredAsPurged(History.Entry e, History.Purge run) {
    if (e.committed()) {
      fail(NO_WRITE_AFTER_PURGE, e.function + " answered a new effect on document "
          + e.documentId + ", which a purge run (first below) had removed", run.entry(), e);
      return;
    }
    boolean storedAnswer = e.key != null && (e.ok() && e.replayed
        || e.status == 409 && "idempotency_key_reused".equals(e.code));
    if (unknown(e) || storedAnswer || e.status == 503
        || e.status == 404 && "not_found".equals(e.code)) {
      return;
    }
    fail(PURGED_404, e.function + " on document " + e.documentId + ", which a purge run (first"
        + " below) had removed, answered " + e.status + " " + e.code + " (every call on a purged"
        + " document answers 404 not_found, but a keyed retry's stored answer)", run.entry(), e);
  }

  /**
   * When the run read every live version back at its end: each answered 200 with the bytes its
   * row names (sha256), so no object the store points at was lost.
   */
  private void served() {
    if (state.served.isEmpty()) {
      return;
    }
    Map<String, StoreState.Served> answers = new HashMap<>();
    state.served.forEach(a -> answers.put(a.tenant() + "/" + a.documentId() + "/" + a.version(),
        a));
    for (StoreState.Ver v : state.versions) {
      if (!"LIVE".equals(v.state())) {
        continue;
      }
      String where = v.tenant() + "/" + v.documentId() + "/" + v.version();
      StoreState.Served a = answers.get(where);
      List<History.Entry> makers = new ArrayList<>();
      if (v.version() == 1 && creators.containsKey(v.documentId())) {
        makers.add(creators.get(v.documentId()));
      }
      makers.addAll(allocators.getOrDefault(v.documentId() + "/" + v.version(), List.of()));
      if (a == null) {
        fail(CONTENT_SERVED, "live version " + where + " was not read back", makers);
      } else if (a.status() != 200 || !v.sha256().equals(a.sha256())) {
        fail(CONTENT_SERVED, "live version " + where + " answered getVersionContent "
            + a.status() + (a.status() == 200 ? " with bytes of sha256 " + a.sha256() : "")
            + ", not 200 with its bytes (sha256 " + v.sha256() + ")", makers);
      }
    }
  }

  /** The entity tags of an If-Match value, {@code *} included as is. */
  private static Set<String> tags(String ifMatch) {
    return java.util.Arrays.stream(ifMatch.split(",")).map(String::trim)
        .filter(t -> !t.isEmpty()).collect(Collectors.toSet());
  }

  private static boolean sameJson(String a, String b) {
    JsonNode x = json(a);
    JsonNode y = json(b);
    return x != null && x.equals(y);
  }

  static JsonNode json(String text) {
    if (text == null || text.isEmpty() || !(text.startsWith("{") || text.startsWith("["))) {
      return null;
    }
    try {
      return Api.JSON.readTree(text);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** The outcome: the violations, and a readable rendering of them. */
  public static final class Report {
    private final History history;
    private final List<Violation> violations;
    private final int requests;

    Report(History history, List<Violation> violations, int requests) {
      this.history = history;
      this.violations = List.copyOf(violations);
      this.requests = requests;
    }

    public List<Violation> violations() {
      return violations;
    }

    public boolean ok() {
      return violations.isEmpty();
    }

    public Set<String> checks() {
      return violations.stream().map(Violation::check).collect(Collectors.toCollection(
          TreeSet::new));
    }

    /** The report: seed, each violated check with its offending requests, how to reproduce. */
    public String render(String header, String reproduce) {
      StringBuilder out = new StringBuilder();
      out.append(header).append('\n');
      if (violations.isEmpty()) {
        out.append("all checks passed over ").append(requests).append(" requests\n");
        return out.toString();
      }
      out.append(violations.size()).append(" violation(s) of ").append(checks())
          .append(" over ").append(requests).append(" requests\n");
      Map<String, List<Violation>> byCheck = new TreeMap<>(Comparator.comparingInt(
          (String c) -> ORDER.indexOf(c) < 0 ? ORDER.size() : ORDER.indexOf(c))
          .thenComparing(c -> c));
      violations.forEach(v -> byCheck.computeIfAbsent(v.check(), k -> new ArrayList<>()).add(v));
      byCheck.forEach((check, list) -> {
        out.append("\n[").append(check).append("] ").append(list.size())
            .append(" violation(s)\n");
        for (Violation v : list.subList(0, Math.min(5, list.size()))) {
          out.append("  - ").append(v.message()).append('\n');
          List<History.Entry> shown = v.requests().stream()
              .sorted(Comparator.comparingLong(e -> e.seq)).limit(6).toList();
          for (History.Entry e : shown) {
            out.append("      ").append(history.line(e)).append('\n');
          }
          if (v.requests().size() > shown.size()) {
            out.append("      … and ").append(v.requests().size() - shown.size())
                .append(" more\n");
          }
          for (History.Arm a : armsNear(shown)) {
            out.append("      failpoint armed at t+").append(history.millis(a.nanos()))
                .append("ms: ").append(a.name()).append('=').append(a.action()).append('\n');
          }
        }
        if (list.size() > 5) {
          out.append("  … and ").append(list.size() - 5).append(" more of this check\n");
        }
      });
      out.append("\nreproduce: ").append(reproduce).append('\n');
      return out.toString();
    }

    /**
     * Failpoints of a shown request's function armed in the second before it or while it ran
     * (failpoints are process-global and counted: one of these may have fired in it).
     */
    private List<History.Arm> armsNear(List<History.Entry> shown) {
      return history.arms().stream().filter(a -> shown.stream().anyMatch(e ->
          a.name().startsWith(e.function + ".") && a.nanos() >= e.startNanos - 1_000_000_000L
              && a.nanos() <= Math.max(e.endNanos, e.startNanos))).limit(4).toList();
    }
  }
}

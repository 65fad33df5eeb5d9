package dev.docstore.it;

import dev.docstore.input.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recorded history of a randomized run: every request with its response and timing, every
 * failpoint armed, and what the run did with the analytics events. Thread-safe to append to;
 * read by the {@link HistoryChecker} once the run is over.
 */
public final class History {
  public static final Set<String> WRITES = Set.of("createDocument", "createDocumentVersion",
      "setActiveVersion", "deleteDocumentVersion", "restoreDocumentVersion", "updateDocument",
      "deleteDocument", "restoreDocument");

  private final long origin;
  private final AtomicLong seq = new AtomicLong();
  private final List<Entry> entries = new ArrayList<>();
  private final List<Arm> arms = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<Purge> purges = new ArrayList<>();

  public History() {
    this(System.nanoTime());
  }

  public History(long originNanos) {
    this.origin = originNanos;
  }

  /** Milliseconds since the run started, for history lines. */
  public long millis(long nanos) {
    return (nanos - origin) / 1_000_000;
  }

  public long now() {
    return System.nanoTime();
  }

  /** A failpoint armed at {@code nanos}. */
  public record Arm(long nanos, String name, String action) {}

  /**
   * A purgeTrash run, recorded as its {@link Entry} (function {@code purgeTrash}, no tenant) and
   * the cutoff it can have taken: it reads the stack's clock once while it runs, so its cutoff
   * lies between the clock before the call and after the answer, less the retention. A run stops
   * taking batches after {@code budget}, so one that ran that long may answer 200 with expired
   * trash left for the next run.
   */
  public record Purge(Entry entry, Instant earliestCutoff, Instant latestCutoff,
      Duration budget) {
    /** The run answered 200 well within its budget: it took every expired document it found. */
    public boolean ranToTheEnd() {
      return entry.status == 200 && entry.endNanos - entry.startNanos < budget.toNanos();
    }
  }

  /** One request and, once {@link #complete}d, its response. */
  public static final class Entry {
    public final long seq;
    public final int client;
    public final String tenant;
    public final String function;
    public final String key;
    public final String requestId;
    /** The JSON body for writes, the query for reads. */
    public final String payload;
    /** The If-Match header sent, or null: part of the request, as the fingerprint takes it. */
    public final String ifMatch;
    /** sha256 of the function, the payload and If-Match: equal for a same-payload retry. */
    public final String payloadHash;
    public final String documentId;
    public final Long version;
    /** sha256 of the content sent (createDocument, createDocumentVersion). */
    public final String contentSha256;
    /** A probe with another tenant's document id: must answer 404 and change nothing. */
    public final boolean crossTenant;
    public final String note;
    public final long startNanos;
    public volatile long endNanos;
    /** HTTP status, or -1 when no response came (a client-side failure). */
    public volatile int status = -1;
    public volatile String code = "";
    public volatile boolean replayed;
    public volatile String responseBody = "";
    /** Read responses: the document ids they revealed. */
    public volatile List<String> seenDocumentIds = List.of();
    /** An OpenAPI contract violation or a client-side failure, if any. */
    public volatile String failure;
    /** No response because the connection failed (refused, reset, timed out): not a bug alone. */
    public volatile boolean transportFailure;

    public Entry(long seq, int client, String tenant, String function, String key,
        String requestId, String payload, String documentId, Long version, String contentSha256,
        boolean crossTenant, String note, long startNanos) {
      this(seq, client, tenant, function, key, requestId, payload, null, documentId, version,
          contentSha256, crossTenant, note, startNanos);
    }

    public Entry(long seq, int client, String tenant, String function, String key,
        String requestId, String payload, String ifMatch, String documentId, Long version,
        String contentSha256, boolean crossTenant, String note, long startNanos) {
      this.seq = seq;
      this.client = client;
      this.tenant = tenant;
      this.function = function;
      this.key = key;
      this.requestId = requestId;
      this.payload = payload;
      this.ifMatch = ifMatch;
      this.payloadHash = Sha256.hex((function + "\n" + payload
          + (ifMatch == null ? "" : "\nIf-Match: " + ifMatch))
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      this.documentId = documentId;
      this.version = version;
      this.contentSha256 = contentSha256;
      this.crossTenant = crossTenant;
      this.note = note;
      this.startNanos = startNanos;
    }

    public Entry complete(long endNanos, int status, String code, boolean replayed,
        String responseBody) {
      this.endNanos = endNanos;
      this.status = status;
      this.code = code == null ? "" : code;
      this.replayed = replayed;
      this.responseBody = responseBody == null ? "" : responseBody;
      return this;
    }

    public boolean write() {
      return WRITES.contains(function);
    }

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** A write that reports its own new effect: 2xx and not a replay. */
    public boolean committed() {
      return write() && ok() && !replayed;
    }

    /** No response: the effect is unknown, so it is allowed either way. */
    public boolean unknown() {
      return status < 0;
    }

    public boolean samePayload(Entry other) {
      return function.equals(other.function) && payloadHash.equals(other.payloadHash);
    }

    /** This request started after {@code other} had its response. */
    public boolean startedAfter(Entry other) {
      return other.endNanos != 0 && startNanos > other.endNanos;
    }
  }

  public long nextSeq() {
    return seq.incrementAndGet();
  }

  public synchronized void add(Entry entry) {
    entries.add(entry);
  }

  public synchronized void arm(long nanos, String name, String action) {
    arms.add(new Arm(nanos, name, action));
  }

  /** A purgeTrash run: its entry is {@link #add}ed as well, as every request's is. */
  public synchronized void purge(Purge purge) {
    purges.add(purge);
  }

  public synchronized List<Purge> purges() {
    return List.copyOf(purges);
  }

  public synchronized void note(String note) {
    notes.add(note);
  }

  public synchronized List<Entry> entries() {
    List<Entry> copy = new ArrayList<>(entries);
    copy.sort(java.util.Comparator.comparingLong(e -> e.seq));
    return copy;
  }

  public synchronized List<Arm> arms() {
    return List.copyOf(arms);
  }

  public synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  /** One readable history line. */
  public String line(Entry e) {
    StringBuilder out = new StringBuilder();
    out.append('#').append(e.seq).append(" c").append(e.client).append(" t+")
        .append(millis(e.startNanos)).append("ms");
    if (e.endNanos != 0) {
      out.append(" (").append((e.endNanos - e.startNanos) / 1_000_000).append("ms)");
    }
    out.append(' ').append(dev.docstore.api.Operation.forFunctionName(e.function)
            .map(dev.docstore.api.Operation::method).orElse(e.write() ? "POST" : "GET"))
        .append(' ').append(e.function)
        .append(e.tenant.isEmpty() ? "" : " tenant=" + e.tenant);
    if (e.key != null) {
      out.append(" key=").append(e.key);
    }
    out.append(" req=").append(e.requestId);
    if (e.ifMatch != null) {
      out.append(" If-Match=").append(e.ifMatch);
    }
    if (e.crossTenant) {
      out.append(" CROSS-TENANT");
    }
    out.append(' ').append(clip(e.payload, 120)).append(" -> ");
    if (e.unknown()) {
      out.append("no response");
    } else {
      out.append(e.status);
      if (!e.code.isEmpty()) {
        out.append(' ').append(e.code);
      }
      if (e.replayed) {
        out.append(" (Idempotent-Replayed)");
      }
      out.append(' ').append(clip(e.responseBody, 160));
    }
    if (e.failure != null) {
      out.append(" !! ").append(clip(e.failure, 300));
    }
    if (e.note != null) {
      out.append("  [").append(e.note).append(']');
    }
    return out.toString();
  }

  static String clip(String s, int max) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replace('\n', ' ');
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…";
  }
}

package dev.docstore.bench;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT;
import static dev.docstore.api.Operation.DELETE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.GET_USAGE;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static dev.docstore.api.Operation.LIST_VERSIONS;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;
import static dev.docstore.api.Operation.UPDATE_DOCUMENT;

import dev.docstore.api.Operation;
import dev.docstore.testing.DocstoreClient.Response;
import java.util.Arrays;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One client's cycle: every write once on a fresh document (createDocument, createDocumentVersion,
 * setActiveVersion, deleteDocumentVersion, restoreDocumentVersion, updateDocument, deleteDocument,
 * restoreDocument), with or without Idempotency-Keys; with keys, one more updateDocument under
 * If-Match with the etag the restore answered, then each write is replayed with its key; then
 * every read once.
 */
final class Cycle {
  /**
   * Every tenant write of the catalog, in its order, which is the order a cycle sends them in.
   * Background functions that emit events (they carry no tenant credentials) are not in it.
   */
  static final List<String> WRITES = Arrays.stream(Operation.values())
      .filter(o -> o.isWrite() && o.trigger() == Operation.Trigger.HTTP_PUBLIC)
      .map(Operation::functionName).toList();
  static final List<String> READS = Stream.of(GET_DOCUMENT, LIST_VERSIONS, LIST_DOCUMENTS,
      GET_VERSION_CONTENT, GET_USAGE).map(Operation::functionName).toList();

  private final BenchClient client;
  private final Recorder recorder;
  private final String tenant;

  Cycle(BenchClient client, Recorder recorder, String tenant) {
    this.client = client;
    this.recorder = recorder;
    this.tenant = tenant;
  }

  private record Sent(Operation operation, String key, String ifMatch, Map<String, Object> body,
      Response reply, String replayVariant) {}

  /** Runs one cycle; {@code keyed} sends (and then replays) an Idempotency-Key per write. */
  void run(boolean keyed) {
    List<Sent> sent = new ArrayList<>();
    Sent created = write(keyed, CREATE_DOCUMENT,
        Map.of("title", "bench", "content", content("first")));
    sent.add(created);
    if (!created.reply().ok()) {
      return;
    }
    String doc = created.reply().json().at("/document/documentId").asText();
    sent.add(write(keyed, CREATE_DOCUMENT_VERSION, Map.of("documentId", doc,
        "content", content("second"), "activate", false)));
    sent.add(write(keyed, SET_ACTIVE_VERSION, Map.of("documentId", doc, "version", 2)));
    sent.add(write(keyed, DELETE_DOCUMENT_VERSION, Map.of("documentId", doc, "version", 1)));
    sent.add(write(keyed, RESTORE_DOCUMENT_VERSION, Map.of("documentId", doc, "version", 1)));
    sent.add(write(keyed, UPDATE_DOCUMENT, Map.of("documentId", doc, "title", "bench renamed")));
    sent.add(write(keyed, DELETE_DOCUMENT, Map.of("documentId", doc)));
    Sent restored = write(keyed, RESTORE_DOCUMENT, Map.of("documentId", doc));
    sent.add(restored);
    if (keyed && restored.reply().ok()) {
      String etag = restored.reply().json().at("/document/etag").asText();
      Map<String, Object> body = Map.of("documentId", doc, "title", "bench guarded");
      String key = "bench-" + UUID.randomUUID();
      Response reply = recorder.time(UPDATE_DOCUMENT.functionName(), Recorder.IF_MATCH,
          () -> client.post(UPDATE_DOCUMENT, tenant, key, etag, body));
      sent.add(new Sent(UPDATE_DOCUMENT, key, etag, body, reply, Recorder.IF_MATCH_REPLAY));
    }
    if (keyed) {
      for (Sent s : sent) {
        Response replay = recorder.time(s.operation().functionName(), s.replayVariant(),
            () -> client.post(s.operation(), tenant, s.key(), s.ifMatch(), s.body()));
        if (replay.ok() && (!replay.replayed() || replay.status() != s.reply().status())) {
          recorder.error(s.operation().functionName() + " replay answered " + replay.status()
              + " replayed=" + replay.replayed());
        }
      }
    }
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    read(GET_DOCUMENT, "documentId=" + doc);
    read(LIST_VERSIONS, "documentId=" + doc);
    read(LIST_DOCUMENTS, "pageSize=20");
    read(GET_VERSION_CONTENT, "documentId=" + doc + "&version=1");
    read(GET_USAGE, "from=" + today + "&to=" + today);
  }

  /** The size of a cycle's content: the 1 KiB the replay goals are stated at. */
  static final int CONTENT_BYTES = 1024;

  /** Fresh content of exactly {@code bytes} ASCII bytes, starting with {@code label}. */
  static String content(String label, int bytes) {
    StringBuilder text = new StringBuilder(bytes).append(label).append(' ')
        .append(UUID.randomUUID()).append(' ');
    while (text.length() < bytes) {
      text.append('x');
    }
    text.setLength(bytes);
    return text.toString();
  }

  private static String content(String label) {
    return content(label, CONTENT_BYTES);
  }

  private Sent write(boolean keyed, Operation operation, Map<String, Object> body) {
    String key = keyed ? "bench-" + UUID.randomUUID() : null;
    Response reply = recorder.time(operation.functionName(), keyed ? Recorder.FIRST : Recorder.NO_KEY,
        () -> client.post(operation, tenant, key, body));
    return new Sent(operation, key, null, body, reply, Recorder.REPLAY);
  }

  private void read(Operation operation, String query) {
    recorder.time(operation.functionName(), Recorder.READ, () -> client.get(operation, tenant, query));
  }
}

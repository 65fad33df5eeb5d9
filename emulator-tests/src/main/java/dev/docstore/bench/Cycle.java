package dev.docstore.bench;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.GET_USAGE;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static dev.docstore.api.Operation.LIST_VERSIONS;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;

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
 * setActiveVersion, deleteDocumentVersion, restoreDocumentVersion), with or without
 * Idempotency-Keys; with keys, each write is then replayed with its key; then every read once.
 */
final class Cycle {
  /** Every write of the catalog, in its order, which is the order a cycle sends them in. */
  static final List<String> WRITES = Arrays.stream(Operation.values())
      .filter(Operation::isWrite).map(Operation::functionName).toList();
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

  private record Sent(Operation operation, String key, Map<String, Object> body, Response reply) {}

  /** Runs one cycle; {@code keyed} sends (and then replays) an Idempotency-Key per write. */
  void run(boolean keyed) {
    List<Sent> sent = new ArrayList<>();
    Sent created = write(keyed, CREATE_DOCUMENT,
        Map.of("title", "bench", "content", "first " + UUID.randomUUID()));
    sent.add(created);
    if (!created.reply().ok()) {
      return;
    }
    String doc = created.reply().json().at("/document/documentId").asText();
    sent.add(write(keyed, CREATE_DOCUMENT_VERSION, Map.of("documentId", doc,
        "content", "second " + UUID.randomUUID(), "activate", false)));
    sent.add(write(keyed, SET_ACTIVE_VERSION, Map.of("documentId", doc, "version", 2)));
    sent.add(write(keyed, DELETE_DOCUMENT_VERSION, Map.of("documentId", doc, "version", 1)));
    sent.add(write(keyed, RESTORE_DOCUMENT_VERSION, Map.of("documentId", doc, "version", 1)));
    if (keyed) {
      for (Sent s : sent) {
        Response replay = recorder.time(s.operation().functionName(), Recorder.REPLAY,
            () -> client.post(s.operation(), tenant, s.key(), s.body()));
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

  private Sent write(boolean keyed, Operation operation, Map<String, Object> body) {
    String key = keyed ? "bench-" + UUID.randomUUID() : null;
    Response reply = recorder.time(operation.functionName(), keyed ? Recorder.FIRST : Recorder.NO_KEY,
        () -> client.post(operation, tenant, key, body));
    return new Sent(operation, key, body, reply);
  }

  private void read(Operation operation, String query) {
    recorder.time(operation.functionName(), Recorder.READ, () -> client.get(operation, tenant, query));
  }
}

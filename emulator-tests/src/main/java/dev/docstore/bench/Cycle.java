package dev.docstore.bench;

import dev.docstore.testing.DocstoreClient.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One client's cycle: every write once on a fresh document (createDocument, createDocumentVersion,
 * setActiveVersion, deleteDocumentVersion, restoreDocumentVersion), with or without
 * Idempotency-Keys; with keys, each write is then replayed with its key; then every read once.
 */
final class Cycle {
  static final List<String> WRITES = List.of("createDocument", "createDocumentVersion",
      "setActiveVersion", "deleteDocumentVersion", "restoreDocumentVersion");
  static final List<String> READS = List.of("getDocument", "listDocuments",
      "getVersionContent", "getUsage");

  private final BenchClient client;
  private final Recorder recorder;
  private final String tenant;

  Cycle(BenchClient client, Recorder recorder, String tenant) {
    this.client = client;
    this.recorder = recorder;
    this.tenant = tenant;
  }

  private record Sent(String operation, String key, Map<String, Object> body, Response reply) {}

  /** Runs one cycle; {@code keyed} sends (and then replays) an Idempotency-Key per write. */
  void run(boolean keyed) {
    List<Sent> sent = new ArrayList<>();
    Sent created = write(keyed, "createDocument",
        Map.of("title", "bench", "content", "first " + UUID.randomUUID()));
    sent.add(created);
    if (!created.reply().ok()) {
      return;
    }
    String doc = created.reply().json().at("/document/documentId").asText();
    sent.add(write(keyed, "createDocumentVersion", Map.of("documentId", doc,
        "content", "second " + UUID.randomUUID(), "activate", false)));
    sent.add(write(keyed, "setActiveVersion", Map.of("documentId", doc, "version", 2)));
    sent.add(write(keyed, "deleteDocumentVersion", Map.of("documentId", doc, "version", 1)));
    sent.add(write(keyed, "restoreDocumentVersion", Map.of("documentId", doc, "version", 1)));
    if (keyed) {
      for (Sent s : sent) {
        Response replay = recorder.time(s.operation(), Recorder.REPLAY,
            () -> client.post(s.operation(), tenant, s.key(), s.body()));
        if (replay.ok() && (!replay.replayed() || replay.status() != s.reply().status())) {
          recorder.error(s.operation() + " replay answered " + replay.status()
              + " replayed=" + replay.replayed());
        }
      }
    }
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    read("getDocument", "documentId=" + doc);
    read("listDocuments", "pageSize=20");
    read("getVersionContent", "documentId=" + doc + "&version=1");
    read("getUsage", "from=" + today + "&to=" + today);
  }

  private Sent write(boolean keyed, String operation, Map<String, Object> body) {
    String key = keyed ? "bench-" + UUID.randomUUID() : null;
    Response reply = recorder.time(operation, keyed ? Recorder.FIRST : Recorder.NO_KEY,
        () -> client.post(operation, tenant, key, body));
    return new Sent(operation, key, body, reply);
  }

  private void read(String operation, String query) {
    recorder.time(operation, Recorder.READ, () -> client.get(operation, tenant, query));
  }
}

package dev.docstore.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.docstore.documents.DocumentReads;
import dev.docstore.http.HttpEndpoint.Handler;
import dev.docstore.idempotency.Fingerprint;
import dev.docstore.input.JsonBody;
import dev.docstore.outbox.OutboxRelay;
import dev.docstore.usage.UsageReads;
import dev.docstore.versions.VersionReads;
import dev.docstore.write.WriteOperation;
import dev.docstore.write.WriteRequest;
import dev.docstore.write.WriteShape;
import java.util.List;

/**
 * What each HTTP request means: which query parameters and body an operation takes, and which
 * call it makes. The composition root binds one of these to each HTTP operation. Every route is
 * built by {@link #taking}, so every function, POST or GET, refuses a query parameter it does not
 * name (400) before it does anything else.
 */
public final class Routes {
  private Routes() {}

  /** A route that takes exactly the query parameters {@code names} (none: an empty list). */
  private static Handler taking(List<String> names, Handler handler) {
    return call -> {
      call.allowQuery(names);
      return handler.handle(call);
    };
  }

  /**
   * Every write: validate the body, fingerprint it, read the key, and run the flow through the
   * one write shape. Its answer is byte for byte what the idempotency record stores.
   */
  public static <I> Handler write(WriteShape shape, WriteOperation<I> write) {
    return taking(List.of(), call -> {
      // Body first, then its fingerprint, then the key: the order the 400s are checked in.
      JsonBody body = call.jsonBody();
      I input = write.parse(body);
      String fingerprint = Fingerprint.of(write.operation(), body.raw());
      WriteRequest request = new WriteRequest(write.operation(), call.caller(),
          call.requestId(), call.idempotencyKey(), fingerprint);
      return Reply.write(shape.run(request, write.flow(request, input)));
    });
  }

  /** GET ?documentId= → 200 {document, versions: [...]}. */
  public static Handler getDocument(DocumentReads reads) {
    return taking(List.of("documentId"), call ->
        Reply.json(200, reads.getDocument(call.caller(), call.requiredQuery("documentId"))));
  }

  /** GET ?pageSize=&pageToken= → 200 {documents: [...], nextPageToken?}, newest first. */
  public static Handler listDocuments(DocumentReads reads) {
    return taking(List.of("pageSize", "pageToken"), call ->
        Reply.json(200, reads.listDocuments(call.caller(), call.query("pageSize"),
            call.query("pageToken"))));
  }

  /**
   * GET ?documentId=&version= → 200 raw bytes, the version's Content-Type, ETag = sha256; 304,
   * 206 or 416 for conditional and ranged requests ({@link ContentReply}).
   */
  public static Handler getVersionContent(VersionReads reads) {
    return taking(List.of("documentId", "version"), call ->
        ContentReply.of(call, reads.getVersionContent(call.caller(),
            call.requiredQuery("documentId"), call.requiredQuery("version"))));
  }

  /** GET ?from=YYYY-MM-DD&to=YYYY-MM-DD → 200 {days: [{day, operation, count}]}. */
  public static Handler getUsage(UsageReads reads) {
    return taking(List.of("from", "to"), call ->
        Reply.json(200, reads.getUsage(call.caller(), call.requiredQuery("from"),
            call.requiredQuery("to"))));
  }

  /** POST → 200 {published, failed, unmarked}: the outbox relay, run by Cloud Scheduler. */
  public static Handler publishOutbox(OutboxRelay relay) {
    return taking(List.of(), call -> {
      OutboxRelay.Result result = relay.run();
      return Reply.json(200, JsonNodeFactory.instance.objectNode()
          .put("published", result.published())
          .put("failed", result.failed())
          .put("unmarked", result.unmarked()));
    });
  }
}

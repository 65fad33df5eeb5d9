package dev.docstore.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docstore.api.InvalidRequest;
import dev.docstore.documents.DocumentReads;
import dev.docstore.documents.TrashPurge;
import dev.docstore.http.HttpEndpoint.Handler;
import dev.docstore.idempotency.Fingerprint;
import dev.docstore.input.EntityTags;
import dev.docstore.input.IfMatch;
import dev.docstore.input.JsonBody;
import dev.docstore.outbox.OutboxRelay;
import dev.docstore.usage.UsageReads;
import dev.docstore.versions.VersionReads;
import dev.docstore.write.WriteOperation;
import dev.docstore.write.WriteRequest;
import dev.docstore.write.WriteResult;
import dev.docstore.write.WriteShape;
import java.util.List;
import java.util.Optional;

/**
 * What each HTTP request means: which query parameters and body an operation takes, and which
 * call it makes. The composition root binds one of these to each HTTP operation. Every route is
 * built by {@link #taking}, so every function, POST or GET, refuses a query parameter it does not
 * name (400) before it does anything else.
 */
public final class Routes {
  static final String DOCUMENT_CACHE_CONTROL = "private, no-cache";

  private Routes() {}

  /** A route that takes exactly the query parameters {@code names} (none: an empty list). */
  private static Handler taking(List<String> names, Handler handler) {
    return call -> {
      call.allowQuery(names);
      return handler.handle(call);
    };
  }

  /**
   * Every write: validate the body and the precondition, fingerprint them, read the key, and
   * run the flow through the one write shape. Its answer is byte for byte what the idempotency
   * record stores, with the etag of the document it carries in the ETag header.
   */
  public static <I> Handler write(WriteShape shape, WriteOperation<I> write,
      ObjectMapper json) {
    return taking(List.of(), call -> {
      // Body, precondition, then the key: the order the 400s are checked in. Only a keyed
      // request needs a fingerprint.
      JsonBody body = call.jsonBody();
      I input = write.parse(body);
      Optional<IfMatch> ifMatch = call.ifMatch();
      if (ifMatch.isPresent() && !write.onExistingDocument()) {
        throw new InvalidRequest("If-Match applies only to writes on an existing document");
      }
      Optional<String> key = call.idempotencyKey();
      Optional<Fingerprint> fingerprint =
          key.map(k -> Fingerprint.of(write.operation(), ifMatch, body));
      WriteRequest request = new WriteRequest(write.operation(), call.caller(),
          call.requestId(), key, ifMatch, fingerprint);
      WriteResult result = shape.run(request, write.flow(request, input));
      return withDocumentEtag(Reply.write(result), json, result.body());
    });
  }

  /**
   * The ETag of the document an answer carries, read from the answer itself: a replay then
   * carries the etag its stored body names, the one the first request answered with.
   */
  private static Reply withDocumentEtag(Reply reply, ObjectMapper json, String body) {
    try {
      JsonNode etag = json.readTree(body).path("document").path("etag");
      return etag.isTextual() ? reply.withHeader(Reply.ETAG_HEADER, etag.asText()) : reply;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored answer is not JSON", e);
    }
  }

  /**
   * GET ?documentId= → 200 {document, versions: [...], versionsNextPageToken?}, with the
   * document's ETag; 304 when If-None-Match names it. The caller's browser may keep the answer
   * but must revalidate it (no-cache), which then costs one read and no body.
   */
  public static Handler getDocument(DocumentReads reads) {
    return taking(List.of("documentId"), call -> {
      ObjectNode body = reads.getDocument(call.caller(), call.requiredQuery("documentId"));
      String etag = body.path("document").path("etag").asText();
      Reply reply = EntityTags.noneMatchNames(call.headers(ContentReply.IF_NONE_MATCH), etag)
          ? Reply.notModified() : Reply.json(200, body);
      return reply.withHeader(Reply.ETAG_HEADER, etag).cachedAs(DOCUMENT_CACHE_CONTROL);
    });
  }

  /** GET ?documentId=&pageSize=&pageToken= → 200 {versions: [...], nextPageToken?}, ascending. */
  public static Handler listVersions(DocumentReads reads) {
    return taking(List.of("documentId", "pageSize", "pageToken"), call ->
        Reply.json(200, reads.listVersions(call.caller(), call.requiredQuery("documentId"),
            call.query("pageSize"), call.query("pageToken"))));
  }

  /**
   * GET ?pageSize=&pageToken=&state=LIVE|TRASHED → 200 {documents: [...], nextPageToken?},
   * newest first; the live documents unless the trash is asked for.
   */
  public static Handler listDocuments(DocumentReads reads) {
    return taking(List.of("pageSize", "pageToken", "state"), call ->
        Reply.json(200, reads.listDocuments(call.caller(), call.query("pageSize"),
            call.query("pageToken"), call.query("state"))));
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

  /** POST → 200 {published, failed, unmarked, alreadyCounted}: the outbox relay, run by Cloud Scheduler. */
  public static Handler publishOutbox(OutboxRelay relay) {
    return taking(List.of(), call -> {
      OutboxRelay.Result result = relay.run();
      return Reply.json(200, JsonNodeFactory.instance.objectNode()
          .put("published", result.published())
          .put("failed", result.failed())
          .put("unmarked", result.unmarked())
          .put("alreadyCounted", result.alreadyCounted()));
    });
  }

  /**
   * POST → 200 {purged, finished, skipped}: removes the expired trash for good, run by Cloud
   * Scheduler. A run that fails part way answers the failure; what it did stays done.
   */
  public static Handler purgeTrash(TrashPurge purge) {
    return taking(List.of(), call -> {
      TrashPurge.Result result = purge.run(call.requestId());
      return Reply.json(200, JsonNodeFactory.instance.objectNode()
          .put("purged", result.purged())
          .put("finished", result.finished())
          .put("skipped", result.skipped()));
    });
  }
}

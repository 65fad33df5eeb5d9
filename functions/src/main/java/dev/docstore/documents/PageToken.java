package dev.docstore.documents;

import com.google.cloud.Timestamp;
import dev.docstore.api.InvalidRequest;
import dev.docstore.input.Fields;
import dev.docstore.input.Sha256;
import dev.docstore.store.DocumentRow.DocumentState;
import dev.docstore.store.DocumentStore.ListPosition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The opaque cursors of the paged reads, one format for all of them:
 * {@code base64url(kind | field... | digest)}. The kind names the listing and the version of its
 * fields; the digest binds the token to what it pages (the tenant, and for a document's versions
 * that document too), so a token this service did not issue for this very listing is a 400
 * rather than a silent restart or another listing's page.
 */
final class PageToken {
  /** The listings that issue tokens, each with its prefix and the number of its fields. */
  private enum Kind {
    DOCUMENTS("documents.v1", 2),
    VERSIONS("versions.v1", 1);

    private final String prefix;
    private final int fields;

    Kind(String prefix, int fields) {
      this.prefix = prefix;
      this.fields = fields;
    }
  }

  private static final String SEPARATOR = "|";

  private PageToken() {}

  /** listDocuments: continues after this position of the tenant's documents in the state. */
  static String documents(String tenantId, DocumentState state, ListPosition after) {
    return issue(Kind.DOCUMENTS, List.of(tenantId, state.name()),
        after.createdAt().toString(), after.documentId());
  }

  static ListPosition documentsAfter(String tenantId, DocumentState state, String token) {
    List<String> fields = parse(Kind.DOCUMENTS, List.of(tenantId, state.name()), token);
    try {
      return new ListPosition(Timestamp.parseTimestamp(fields.get(0)),
          Fields.documentId(fields.get(1)));
    } catch (IllegalArgumentException | InvalidRequest e) {
      throw invalid();
    }
  }

  /** listVersions (and getDocument's versionsNextPageToken): continues after this version. */
  static String versions(String tenantId, String documentId, long afterVersion) {
    return issue(Kind.VERSIONS, List.of(tenantId, documentId), Long.toString(afterVersion));
  }

  static long versionsAfter(String tenantId, String documentId, String token) {
    List<String> fields = parse(Kind.VERSIONS, List.of(tenantId, documentId), token);
    try {
      return Fields.version(fields.get(0));
    } catch (InvalidRequest e) {
      throw invalid();
    }
  }

  private static String issue(Kind kind, List<String> boundTo, String... fields) {
    String payload = kind.prefix + SEPARATOR + String.join(SEPARATOR, fields);
    String token = payload + SEPARATOR + digest(boundTo, payload);
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  /** The token's fields, once its kind and its digest over {@code boundTo} check out. */
  private static List<String> parse(Kind kind, List<String> boundTo, String token) {
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    // -1 keeps empty trailing parts, so "a||" is three parts, not one.
    List<String> parts = new ArrayList<>(Arrays.asList(decoded.split("\\|", -1)));
    if (parts.size() != kind.fields + 2 || !parts.get(0).equals(kind.prefix)) {
      throw invalid();
    }
    String digest = parts.remove(parts.size() - 1);
    if (!digest(boundTo, String.join(SEPARATOR, parts)).equals(digest)) {
      throw invalid();
    }
    return List.copyOf(parts.subList(1, parts.size()));
  }

  /**
   * A digest over what the token is bound to and its payload. A newline cannot occur in a
   * tenant id (visible ASCII) nor in a document id (a UUID), so the parts cannot run together.
   */
  private static String digest(List<String> boundTo, String payload) {
    return Sha256.hex("docstore-page-token\n" + String.join("\n", boundTo) + "\n" + payload)
        .substring(0, 32);
  }

  private static InvalidRequest invalid() {
    return new InvalidRequest("'pageToken' was not issued by this service for this listing");
  }
}

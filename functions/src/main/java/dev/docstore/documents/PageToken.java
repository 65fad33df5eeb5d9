package dev.docstore.documents;

import com.google.cloud.Timestamp;
import dev.docstore.api.InvalidRequest;
import dev.docstore.input.Fields;
import dev.docstore.input.Sha256;
import dev.docstore.store.DocumentStore.ListPosition;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque listDocuments cursor: the last position served, bound to the tenant by a digest, so
 * a token this service did not issue to this tenant is a 400 rather than a silent restart.
 */
final class PageToken {
  private static final String VERSION = "v1";

  private PageToken() {}

  static String issue(String tenantId, ListPosition position) {
    String payload = VERSION + "|" + position.createdAt() + "|" + position.documentId();
    String token = payload + "|" + digest(tenantId, payload);
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  static ListPosition parse(String tenantId, String token) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = decoded.split("\\|");
      if (parts.length != 4 || !parts[0].equals(VERSION)) {
        throw invalid();
      }
      String payload = parts[0] + "|" + parts[1] + "|" + parts[2];
      if (!digest(tenantId, payload).equals(parts[3])) {
        throw invalid();
      }
      return new ListPosition(Timestamp.parseTimestamp(parts[1]), Fields.documentId(parts[2]));
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  private static String digest(String tenantId, String payload) {
    return Sha256.hex("docstore-page-token|" + tenantId + "|" + payload).substring(0, 32);
  }

  private static InvalidRequest invalid() {
    return new InvalidRequest("'pageToken' was not issued by this service");
  }
}

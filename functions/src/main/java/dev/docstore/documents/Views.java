package dev.docstore.documents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.VersionRow;
import java.util.List;

/** The JSON objects of the API (docs/CONTRACT.md, "Objects"). */
public final class Views {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Views() {}

  public static ObjectNode document(DocumentRow d) {
    ObjectNode node = NODES.objectNode();
    node.put("documentId", d.documentId());
    node.put("title", d.title());
    node.put("state", d.state().name());
    node.put("activeVersion", d.activeVersion());
    node.put("latestVersion", d.latestVersion());
    node.put("createdAt", d.createdAt().toString());
    node.put("updatedAt", d.updatedAt().toString());
    if (d.trashedAt() != null) {
      node.put("trashedAt", d.trashedAt().toString());
    }
    node.put("createdBy", d.createdBy());
    node.put("etag", DocumentEtag.of(d));
    return node;
  }

  public static ObjectNode version(VersionRow v) {
    ObjectNode node = NODES.objectNode();
    node.put("documentId", v.documentId());
    node.put("version", v.version());
    node.put("state", v.state().name());
    node.put("contentSha256", v.contentSha256());
    node.put("contentLength", v.contentLength());
    node.put("contentType", v.contentType());
    node.put("createdAt", v.createdAt().toString());
    node.put("createdBy", v.createdBy());
    if (v.deletedAt() != null) {
      node.put("deletedAt", v.deletedAt().toString());
    }
    return node;
  }

  public static ObjectNode documentAndVersion(DocumentRow d, VersionRow v) {
    ObjectNode node = documentOnly(d);
    node.set("version", version(v));
    return node;
  }

  public static ObjectNode documentOnly(DocumentRow d) {
    ObjectNode node = NODES.objectNode();
    node.set("document", document(d));
    return node;
  }

  public static ObjectNode documentWithVersions(DocumentRow d, List<VersionRow> versions) {
    ObjectNode node = documentOnly(d);
    ArrayNode array = node.putArray("versions");
    versions.forEach(v -> array.add(version(v)));
    return node;
  }
}

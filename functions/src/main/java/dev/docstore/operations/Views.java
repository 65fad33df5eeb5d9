package dev.docstore.operations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.VersionRow;
import java.util.List;

/** The JSON objects of DESIGN.md ("Objects"). */
public final class Views {
  private Views() {}

  public static ObjectNode document(ObjectMapper json, DocumentRow d) {
    ObjectNode node = json.createObjectNode();
    node.put("documentId", d.documentId());
    node.put("title", d.title());
    node.put("activeVersion", d.activeVersion());
    node.put("latestVersion", d.latestVersion());
    node.put("createdAt", d.createdAt().toString());
    node.put("updatedAt", d.updatedAt().toString());
    node.put("createdBy", d.createdBy());
    return node;
  }

  public static ObjectNode version(ObjectMapper json, VersionRow v) {
    ObjectNode node = json.createObjectNode();
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

  public static ObjectNode documentAndVersion(ObjectMapper json, DocumentRow d, VersionRow v) {
    ObjectNode node = json.createObjectNode();
    node.set("document", document(json, d));
    node.set("version", version(json, v));
    return node;
  }

  public static ObjectNode documentOnly(ObjectMapper json, DocumentRow d) {
    ObjectNode node = json.createObjectNode();
    node.set("document", document(json, d));
    return node;
  }

  public static ObjectNode documentWithVersions(ObjectMapper json, DocumentRow d,
      List<VersionRow> versions) {
    ObjectNode node = documentOnly(json, d);
    ArrayNode array = node.putArray("versions");
    versions.forEach(v -> array.add(version(json, v)));
    return node;
  }
}

package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.DELETE_DOCUMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.docstore.api.Operation.DELETE_DOCUMENT;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.SpannerException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The checker itself can fail: planted violations are each reported. */
class InvariantCheckerTest {
  @RegisterExtension
  static final Stack STACK = new Stack();

  @Test
  void reportsEveryPlantedViolation() {
    String t = "planted";
    String id = STACK.api().post(CREATE_DOCUMENT).tenant(t)
        .json(Map.of("title", "victim", "content", "bytes")).send()
        .json().at("/document/documentId").asText();
    assertTrue(STACK.invariants().violations().isEmpty());
    var db = STACK.rows().client();
    String object = db.singleUse().readRow("DocumentVersions", Key.of(t, id, 1),
        List.of("ObjectName")).getString("ObjectName");
    try {
      db.write(List.of(
          Mutation.newUpdateBuilder("Documents").set("TenantId").to(t).set("DocumentId").to(id)
              .set("LatestVersion").to(3).build(),
          Mutation.newUpdateBuilder("DocumentVersions").set("TenantId").to(t)
              .set("DocumentId").to(id).set("Version").to(1).set("State").to("DELETED")
              .set("DeletedAt").to(Timestamp.now()).build()));
      List<String> problems = STACK.invariants().violations();
      assertEquals(2, problems.size(), String.join("\n", problems));
      assertTrue(problems.get(1).contains("is not the maximum"));
      assertTrue(problems.get(0).contains("is not live"));
      db.write(List.of(Mutation.newUpdateBuilder("DocumentVersions").set("TenantId").to(t)
          .set("DocumentId").to(id).set("Version").to(1).set("State").to("LIVE")
          .set("DeletedAt").to((Timestamp) null).build(),
          Mutation.newUpdateBuilder("Documents").set("TenantId").to(t).set("DocumentId").to(id)
              .set("LatestVersion").to(1).build()));
      STACK.local().docstore().content().delete(object);
      List<String> missing = STACK.invariants().violations();
      assertEquals(1, missing.size(), String.join("\n", missing));
      assertTrue(missing.get(0).contains("object is missing"));
    } finally {
      db.write(List.of(Mutation.delete("Documents", Key.of(t, id))));
    }
  }

  @Test
  void aTrashedDocumentNeedsItsLiveActiveVersionAndAnObjectNeedsARowOrATombstone() {
    String t = "planted-trash";
    String id = STACK.api().post(CREATE_DOCUMENT).tenant(t)
        .json(Map.of("title", "trashed victim", "content", "trashed bytes")).send()
        .json().at("/document/documentId").asText();
    assertEquals(200, STACK.api().post(DELETE_DOCUMENT).tenant(t)
        .json(Map.of("documentId", id)).send().status());
    assertTrue(STACK.invariants().violations().isEmpty());
    var db = STACK.rows().client();
    String object = db.singleUse().readRow("DocumentVersions", Key.of(t, id, 1),
        List.of("ObjectName")).getString("ObjectName");
    try {
      db.write(List.of(Mutation.newUpdateBuilder("DocumentVersions").set("TenantId").to(t)
          .set("DocumentId").to(id).set("Version").to(1).set("State").to("DELETED")
          .set("DeletedAt").to(Timestamp.now()).build()));
      List<String> problems = STACK.invariants().violations();
      assertEquals(1, problems.size(), String.join("\n", problems));
      assertTrue(problems.get(0).contains("is not live"), "the trash is checked too");

      // The rows go, the object stays: only a tombstone excuses it.
      db.write(List.of(Mutation.delete("Documents", Key.of(t, id))));
      List<String> orphan = STACK.invariants().violations();
      assertEquals(1, orphan.size(), String.join("\n", orphan));
      assertTrue(orphan.get(0).contains(object + ": object of a document with no row"));
      db.write(List.of(Mutation.newInsertBuilder("PurgedDocuments").set("TenantId").to(t)
          .set("DocumentId").to(id).set("PurgedAt").to(Timestamp.now()).build()));
      assertEquals(List.of(), STACK.invariants().violations());
    } finally {
      STACK.local().docstore().content().delete(object);
      db.write(List.of(Mutation.delete("Documents", Key.of(t, id)),
          Mutation.delete("PurgedDocuments", Key.of(t, id))));
    }
  }

  @Test
  void theSchemaRefusesAnInconsistentStateTrashedAtOrRevision() {
    // The checker relies on these CHECK constraints as much as it reads them: a doctored row
    // that breaks one never reaches the table.
    String t = "planted-state";
    String id = STACK.api().post(CREATE_DOCUMENT).tenant(t)
        .json(Map.of("title", "state victim", "content", "bytes")).send()
        .json().at("/document/documentId").asText();
    var db = STACK.rows().client();
    String object = db.singleUse().readRow("DocumentVersions", Key.of(t, id, 1),
        List.of("ObjectName")).getString("ObjectName");
    try {
      for (Mutation doctored : List.of(
          update(t, id).set("State").to("TRASHED").build(),
          update(t, id).set("TrashedAt").to(Timestamp.now()).build(),
          update(t, id).set("State").to("GONE").build(),
          update(t, id).set("Revision").to(0).build())) {
        assertThrows(SpannerException.class, () -> db.write(List.of(doctored)),
            doctored.toString());
      }
      assertTrue(STACK.invariants().violations().isEmpty(),
          String.join("\n", STACK.invariants().violations()));
    } finally {
      STACK.local().docstore().content().delete(object);
      db.write(List.of(Mutation.delete("Documents", Key.of(t, id))));
    }
  }

  private static Mutation.WriteBuilder update(String t, String id) {
    return Mutation.newUpdateBuilder("Documents").set("TenantId").to(t).set("DocumentId").to(id);
  }
}

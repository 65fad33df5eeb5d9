package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT_VERSION;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.docstore.api.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The local stack's Cloud Storage outlives the stack, as the service outlives an instance: a new
 * stack on the same directory, database and emulators serves every version written before, and
 * brings back a version whose object was soft-deleted before.
 */
class LocalStackRestartTest {
  @RegisterExtension
  static final Stack STACK = new Stack();
  private static final String T = "restart";

  private static Api.Response content(String id, long version) {
    return STACK.api().get(GET_VERSION_CONTENT).tenant(T)
        .query("documentId=" + id + "&version=" + version).send();
  }

  private static Api.Response target(Operation function, String id, long version) {
    return STACK.api().post(function).tenant(T)
        .json(Map.of("documentId", id, "version", version)).send();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void versionsWrittenBeforeARestartAreServedAfterIt() {
    Api.Response created = STACK.api().post(CREATE_DOCUMENT).tenant(T)
        .json(Map.of("title", "kept", "content", "written before the restart",
            "contentType", "text/plain; charset=utf-8")).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().at("/document/documentId").asText();
    Api.Response second = STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(T)
        .json(Map.of("documentId", id, "content", "0123456789")).send();
    assertEquals(201, second.status(), second.toString());
    Api.Response deleted = target(DELETE_DOCUMENT_VERSION, id, 1);
    assertEquals(200, deleted.status(), deleted.toString());
    Path directory = STACK.local().storageDirectory();
    String before = STACK.local().baseUrl();

    STACK.restart();

    assertNotEquals(before, STACK.local().baseUrl(), "a new stack");
    assertEquals(directory, STACK.local().storageDirectory());
    Api.Response whole = content(id, 2);
    assertEquals(200, whole.status(), whole.toString());
    assertArrayEquals(utf8("0123456789"), whole.body());
    Api.Response range = STACK.api().get(GET_VERSION_CONTENT).tenant(T)
        .query("documentId=" + id + "&version=2").header("Range", "bytes=3-5").send();
    assertEquals(206, range.status(), range.toString());
    assertArrayEquals(utf8("345"), range.body());

    Api.Response restored = target(RESTORE_DOCUMENT_VERSION, id, 1);
    assertEquals(200, restored.status(), restored.toString());
    Api.Response first = content(id, 1);
    assertEquals(200, first.status(), first.toString());
    assertArrayEquals(utf8("written before the restart"), first.body());

    Api.Response same = STACK.api().post(CREATE_DOCUMENT_VERSION).tenant(T)
        .json(Map.of("documentId", id, "content", "written before the restart")).send();
    assertEquals(201, same.status(), same.toString());
    assertEquals(3, same.json().at("/version/version").asLong());
    assertArrayEquals(utf8("written before the restart"), content(id, 3).body(),
        "its object, stored before the restart, is found and served");
  }
}

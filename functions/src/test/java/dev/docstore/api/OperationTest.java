package dev.docstore.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The catalog is the one declaration of names: they must be unique and complete. */
class OperationTest {
  /**
   * The names are the public contract (URLs, usage counters, event types, failpoint names):
   * pinned here as literals, so renaming one in the catalog is a deliberate, visible change.
   */
  @Test
  void thePublicNamesAreTheContract() {
    assertEquals(List.of("POST createDocument document.created",
            "POST createDocumentVersion version.created",
            "POST setActiveVersion version.activated",
            "POST deleteDocumentVersion version.deleted",
            "POST restoreDocumentVersion version.restored",
            "POST updateDocument document.updated",
            "POST deleteDocument document.trashed",
            "POST restoreDocument document.restored",
            "GET getDocument", "GET listVersions", "GET listDocuments", "GET getVersionContent",
            "GET getUsage",
            "POST publishOutbox", "POST purgeTrash document.purged",
            "POST analyticsSubscriber"),
        Arrays.stream(Operation.values()).map(op -> op.method() + " " + op.functionName()
            + (op.isWrite() ? " " + op.eventType() : "")).toList());
  }

  @Test
  void functionNamesEventTypesAndFailpointNamesAreUnique() {
    List<Operation> ops = Arrays.asList(Operation.values());
    assertEquals(ops.size(), ops.stream().map(Operation::functionName).distinct().count());
    List<String> events = ops.stream().filter(Operation::isWrite).map(Operation::eventType)
        .toList();
    assertEquals(events.size(), Set.copyOf(events).size());
    List<String> points = Operation.allFailpoints().stream().map(Failpoint::name).toList();
    assertEquals(points.size(), Set.copyOf(points).size());
  }

  @Test
  void everyWriteIsAPostWithTheSharedStepsInTheOrderTheyRun() {
    for (Operation op : Operation.values()) {
      if (!op.isWrite()) {
        assertEquals(List.of(), op.failpoints(), op.functionName());
        continue;
      }
      assertEquals("POST", op.method(), op.functionName());
      List<Step> steps = op.failpoints().stream().map(Failpoint::step).toList();
      assertTrue(steps.containsAll(List.of(Step.AFTER_IDEMPOTENCY_CHECK, Step.BEFORE_COMMIT,
          Step.AFTER_COMMIT_BEFORE_PUBLISH)), op.functionName() + " " + steps);
      List<Step> sorted = steps.stream().sorted().toList();
      assertEquals(sorted, steps, "in the order the steps run");
      assertTrue(steps.stream().filter(s -> s.phase() == Step.Phase.PRE_COMMIT)
          .allMatch(s -> s.ordinal() < Step.AFTER_COMMIT_BEFORE_PUBLISH.ordinal()));
    }
  }

  @Test
  void lookupsByNameAndEventTypeFindTheDeclaration() {
    for (Operation op : Operation.values()) {
      assertEquals(op, Operation.forFunctionName(op.functionName()).orElseThrow());
      if (op.isWrite()) {
        assertEquals(op, Operation.forEventType(op.eventType()).orElseThrow());
      }
    }
    assertTrue(Operation.forEventType("document.exploded").isEmpty());
    assertEquals("deleteDocumentVersion.afterCommitBeforeObjectDelete",
        Operation.failpointNamed("deleteDocumentVersion.afterCommitBeforeObjectDelete")
            .orElseThrow().name());
    Set<String> extras = Operation.allFailpoints().stream()
        .filter(f -> f.step() == Step.AFTER_DOCUMENT_INSERT
            || f.step() == Step.AFTER_COMMIT_BEFORE_OBJECT_DELETE)
        .map(Failpoint::name).collect(Collectors.toSet());
    assertEquals(Set.of("createDocument.afterDocumentInsert",
        "deleteDocumentVersion.afterCommitBeforeObjectDelete",
        "purgeTrash.afterCommitBeforeObjectDelete"), extras);
  }

  /** purgeTrash, the one background write: its points, pinned like the names above. */
  @Test
  void purgeTrashHasTheSharedStepsThenTheObjectsThenTheTombstone() {
    assertEquals(List.of("purgeTrash.afterIdempotencyCheck", "purgeTrash.beforeCommit",
            "purgeTrash.afterCommitBeforePublish", "purgeTrash.afterCommitBeforeObjectDelete",
            "purgeTrash.afterObjectDelete"),
        Operation.PURGE_TRASH.failpoints().stream().map(Failpoint::name).toList());
    assertEquals(Operation.Trigger.HTTP_PRIVATE, Operation.PURGE_TRASH.trigger());
  }
}

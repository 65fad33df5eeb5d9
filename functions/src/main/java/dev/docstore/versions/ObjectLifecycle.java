package dev.docstore.versions;

import dev.docstore.logging.WriteLog;
import dev.docstore.store.ContentStore;
import dev.docstore.store.DocumentStore;
import java.util.Optional;

/**
 * Post-commit storage steps that keep "every live version's object exists" true while versions
 * sharing one content-addressed object are created, deleted and restored concurrently.
 *
 * <p>The race: a delete commits (no live sibling seen), then, before its object delete runs, a
 * create or restore of the same content commits, having found the object still there. Two
 * checks close it, whichever order the steps land in:
 *
 * <ul>
 *   <li>the deleter, after deleting, re-reads Spanner and restores the generation it deleted if
 *       a live version now references the content ({@link #deleteUnlessReferenced});
 *   <li>the writer that reused an existing object, after its commit, re-checks the object and
 *       puts it back if it is gone ({@link #ensureUploaded}, {@link #ensureRestored}).
 * </ul>
 *
 * If the writer committed before the deleter's re-read, the deleter sees it; otherwise the
 * writer's re-check comes after the delete and sees the object missing.
 */
public final class ObjectLifecycle {
  private final DocumentStore documents;
  private final ContentStore content;

  public ObjectLifecycle(DocumentStore documents, ContentStore content) {
    this.documents = documents;
    this.content = content;
  }

  void ensureUploaded(WriteLog log, String objectName, byte[] bytes, String contentType) {
    if (content.liveGeneration(objectName).isPresent()) {
      return;
    }
    content.upload(objectName, bytes, contentType);
    log.storage("reupload", "object was deleted concurrently; uploaded again");
  }

  void ensureRestored(WriteLog log, String objectName, long generation) {
    if (content.liveGeneration(objectName).isPresent()) {
      return;
    }
    content.restore(objectName, generation);
    log.storage("rerestore", "object was deleted concurrently; restored again");
  }

  /**
   * Deletes the object unless a live version of the document references it: the object of a
   * deleted version, or an upload of a request that committed nothing.
   */
  void deleteUnlessReferenced(WriteLog log, String tenantId, String documentId, String sha256,
      String objectName) {
    Optional<Long> generation = content.liveGeneration(objectName);
    if (generation.isEmpty()) {
      log.storage("objectDelete", "already absent");
      return;
    }
    // Checked before as well as after: a keyless dedupe answers with a live version that may
    // reference an object this request re-created, which must not even briefly disappear.
    if (documents.liveVersionReferences(tenantId, documentId, sha256)) {
      log.storage("objectDelete", "kept: a live version references it");
      return;
    }
    deleteThenRecheck(log, tenantId, documentId, sha256, objectName, generation.get());
  }

  /**
   * Deletes the object of a version whose delete just committed, having found in its
   * transaction no other live version sharing it: that read is the check before the delete,
   * so only the re-read after it is left (the race in the class comment).
   */
  void deleteCommittedUnreferenced(WriteLog log, String tenantId, String documentId,
      String sha256, String objectName) {
    Optional<Long> generation = content.liveGeneration(objectName);
    if (generation.isEmpty()) {
      log.storage("objectDelete", "already absent");
      return;
    }
    deleteThenRecheck(log, tenantId, documentId, sha256, objectName, generation.get());
  }

  private void deleteThenRecheck(WriteLog log, String tenantId, String documentId,
      String sha256, String objectName, long generation) {
    content.delete(objectName);
    if (documents.liveVersionReferences(tenantId, documentId, sha256)) {
      content.restore(objectName, generation);
      log.storage("objectDelete", "restored: a live version referenced it meanwhile");
      return;
    }
    log.storage("objectDelete", "deleted");
  }
}

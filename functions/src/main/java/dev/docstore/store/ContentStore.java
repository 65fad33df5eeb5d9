package dev.docstore.store;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.grpc.Context;
import io.grpc.Deadline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Version content in Cloud Storage, one object per distinct content of a document:
 * {@code {tenantId}/{documentId}/{sha256}}. The tenant is the first path segment.
 */
public final class ContentStore {
  private static final int PRECONDITION_FAILED = 412;
  private static final int NOT_FOUND = 404;
  /** What a call the request's deadline kept from starting fails with: a gateway timeout. */
  static final int DEADLINE_PASSED = 504;

  private final Storage storage;
  private final String bucket;

  public ContentStore(Storage storage, String bucket) {
    this.storage = storage;
    this.bucket = bucket;
  }

  public static String objectName(String tenantId, String documentId, String sha256) {
    return tenantId + "/" + documentId + "/" + sha256;
  }

  /** An object holding a version's content, and whether this request created it. */
  public record Stored(long generation, boolean created) {}

  /**
   * Uploads content unless the object already exists. The name is content-addressed, so an
   * existing object already holds these bytes: a retried or concurrent upload is harmless.
   */
  public Stored upload(String objectName, byte[] bytes, String contentType) {
    BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, objectName))
        .setContentType(contentType)
        .build();
    beforeCall();
    try {
      return new Stored(
          generationOf(storage.create(info, bytes, Storage.BlobTargetOption.doesNotExist())),
          true);
    } catch (StorageException e) {
      if (e.getCode() != PRECONDITION_FAILED) {
        throw e;
      }
    }
    Optional<Long> existing = liveGeneration(objectName);
    if (existing.isPresent()) {
      return new Stored(existing.get(), false);
    }
    // Deleted between our precondition failure and this read: upload once more.
    return upload(objectName, bytes, contentType);
  }

  public Optional<Long> liveGeneration(String objectName) {
    beforeCall();
    return Optional.ofNullable(storage.get(BlobId.of(bucket, objectName)))
        .map(ContentStore::generationOf);
  }

  public Optional<byte[]> read(String objectName) {
    beforeCall();
    try {
      return Optional.of(storage.readAllBytes(BlobId.of(bucket, objectName)));
    } catch (StorageException e) {
      if (e.getCode() == NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The {@code length} bytes of the object from {@code offset}, downloaded as one ranged read
   * (seek and limit of a read channel), so a range of large content costs only its own bytes.
   * Empty when no such object exists.
   *
   * @throws IllegalStateException when the object ends before the range does
   */
  public Optional<byte[]> read(String objectName, long offset, int length) {
    beforeCall();
    ByteBuffer bytes = ByteBuffer.allocate(length);
    try (ReadChannel channel = storage.reader(BlobId.of(bucket, objectName))) {
      channel.seek(offset);
      channel.limit(offset + length);
      while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
        // A blocking channel reads at least one byte per call until its end.
      }
    } catch (IOException e) {
      // The channel reports a failed download as an IOException around the StorageException.
      if (e.getCause() instanceof StorageException se && se.getCode() == NOT_FOUND) {
        return Optional.empty();
      }
      throw new UncheckedIOException(e);
    } catch (StorageException e) {
      if (e.getCode() == NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    if (bytes.hasRemaining()) {
      throw new IllegalStateException("the object ends before the range does");
    }
    return Optional.of(bytes.array());
  }

  /**
   * Brings a soft-deleted generation back and returns the live generation. An object that still
   * exists is left as it is: it holds the same content-addressed bytes.
   *
   * @throws StorageException 404 when the generation is no longer recoverable
   */
  public long restore(String objectName, long generation) {
    Optional<Long> live = liveGeneration(objectName);
    if (live.isPresent()) {
      return live.get();
    }
    beforeCall();
    try {
      return generationOf(storage.restore(BlobId.of(bucket, objectName, generation)));
    } catch (StorageException e) {
      if (e.getCode() != NOT_FOUND && e.getCode() != PRECONDITION_FAILED) {
        throw e;
      }
      // Race window: a concurrent restore (or upload of the same bytes) brought the object back
      // between our check and our restore, so the soft-deleted generation is no longer there to
      // restore. The live object holds the same content-addressed bytes.
      return liveGeneration(objectName).orElseThrow(() -> e);
    }
  }

  public boolean delete(String objectName) {
    beforeCall();
    return storage.delete(BlobId.of(bucket, objectName));
  }

  /**
   * Refuses to start a storage call once the request's deadline (a gRPC {@link Context} deadline
   * around the request) has passed. The HTTP/JSON client takes no per-call deadline; its own
   * timeouts and retries are bounded by the client's settings.
   */
  private static void beforeCall() {
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null && deadline.isExpired()) {
      throw new StorageException(DEADLINE_PASSED,
          "the request deadline passed before a storage call");
    }
  }

  private static long generationOf(Blob blob) {
    Long generation = blob.getGeneration();
    return generation == null ? 0L : generation;
  }
}

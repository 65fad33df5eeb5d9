package dev.docstore.store;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.util.Optional;

/**
 * Version content in Cloud Storage, one object per distinct content of a document:
 * {@code {tenantId}/{documentId}/{sha256}}. The tenant is the first path segment.
 */
public final class ContentStore {
  private static final int PRECONDITION_FAILED = 412;

  private final Storage storage;
  private final String bucket;

  public ContentStore(Storage storage, String bucket) {
    this.storage = storage;
    this.bucket = bucket;
  }

  public static String objectName(String tenantId, String documentId, String sha256) {
    return tenantId + "/" + documentId + "/" + sha256;
  }

  /**
   * Uploads content unless the object already exists, and returns its generation. The name is
   * content-addressed, so an existing object already holds these bytes: a retried or concurrent
   * upload of the same content is harmless.
   */
  public long upload(String objectName, byte[] bytes, String contentType) {
    BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, objectName))
        .setContentType(contentType)
        .build();
    try {
      Blob created = storage.create(info, bytes, Storage.BlobTargetOption.doesNotExist());
      return generationOf(created);
    } catch (StorageException e) {
      if (e.getCode() != PRECONDITION_FAILED) {
        throw e;
      }
      Blob existing = storage.get(BlobId.of(bucket, objectName));
      if (existing == null) {
        // Deleted between our precondition failure and this read: try once more.
        return generationOf(
            storage.create(info, bytes, Storage.BlobTargetOption.doesNotExist()));
      }
      return generationOf(existing);
    }
  }

  public Optional<byte[]> read(String objectName) {
    try {
      return Optional.of(storage.readAllBytes(BlobId.of(bucket, objectName)));
    } catch (StorageException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public boolean exists(String objectName) {
    return storage.get(BlobId.of(bucket, objectName)) != null;
  }

  /**
   * Brings a soft-deleted object back. An object that still exists is left as it is: it holds
   * the same content-addressed bytes.
   */
  public void restore(String objectName, long generation) {
    if (exists(objectName)) {
      return;
    }
    storage.restore(BlobId.of(bucket, objectName, generation));
  }

  public boolean delete(String objectName) {
    return storage.delete(BlobId.of(bucket, objectName));
  }

  private static long generationOf(Blob blob) {
    Long generation = blob.getGeneration();
    return generation == null ? 0L : generation;
  }
}

package dev.docstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.docstore.local.LocalStorage;
import dev.docstore.local.ProjectFiles;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The race between two restores of one object, made deterministic: the other restorer wins
 * exactly between our "is it live?" check and our restore call.
 */
class ContentStoreRaceTest {
  private static final String BUCKET = "b";
  private static final String NAME = "t/d/sha";

  /** A Storage whose restore first lets a concurrent writer bring the object back. */
  private static Storage losingTheRace(Storage delegate, int restoreStatus,
      boolean concurrentWriter) {
    return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(),
        new Class<?>[] {Storage.class}, (proxy, method, args) -> {
          if (method.getName().equals("restore")) {
            if (concurrentWriter) {
              delegate.create(BlobInfo.newBuilder(BlobId.of(BUCKET, NAME)).build(),
                  "bytes".getBytes(StandardCharsets.UTF_8));
            }
            throw new StorageException(restoreStatus, "generation not found");
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aRestoreThatLostTheRaceReturnsTheLiveObject() {
    for (int status : new int[] {404, 412}) {
      Storage storage = LocalStorage.open(ProjectFiles.newStorageDirectory("race"));
      ContentStore content = new ContentStore(losingTheRace(storage, status, true), BUCKET);
      long restored = content.restore(NAME, 7L);
      assertEquals(content.liveGeneration(NAME).orElseThrow(), restored, "status " + status);
    }
  }

  @Test
  void aGenerationThatIsReallyGoneStillFails() {
    Storage storage = LocalStorage.open(ProjectFiles.newStorageDirectory("race"));
    ContentStore content = new ContentStore(losingTheRace(storage, 404, false), BUCKET);
    StorageException e = assertThrows(StorageException.class, () -> content.restore(NAME, 7L));
    assertEquals(404, e.getCode());
  }

  @Test
  void otherFailuresAreNotMistakenForTheRace() {
    Storage storage = LocalStorage.open(ProjectFiles.newStorageDirectory("race"));
    ContentStore content = new ContentStore(losingTheRace(storage, 503, true), BUCKET);
    assertEquals(503, assertThrows(StorageException.class, () -> content.restore(NAME, 7L))
        .getCode());
  }
}

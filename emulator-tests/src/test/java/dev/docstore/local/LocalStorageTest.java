package dev.docstore.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.docstore.store.ContentStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The file-backed local Cloud Storage: the service's semantics that docstore relies on, objects
 * that a second instance on the same directory (a restarted process) sees whole, and writes that
 * a crash cannot leave half-visible.
 */
class LocalStorageTest {
  private static final String BUCKET = "content";
  private Path directory;
  private Storage storage;

  @BeforeEach
  void open() {
    directory = ProjectFiles.newStorageDirectory("unit");
    storage = LocalStorage.open(directory);
  }

  @AfterEach
  void remove() {
    ProjectFiles.deleteTree(directory);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static BlobInfo info(String name, String contentType) {
    return BlobInfo.newBuilder(BlobId.of(BUCKET, name)).setContentType(contentType).build();
  }

  private Blob createNew(Storage on, String name, String content) {
    return on.create(info(name, "text/plain"), utf8(content),
        Storage.BlobTargetOption.doesNotExist());
  }

  private static List<String> names(Storage on, String prefix) {
    return StreamSupport.stream(on.list(BUCKET, Storage.BlobListOption.prefix(prefix))
        .iterateAll().spliterator(), false).map(Blob::getName).toList();
  }

  private static int status(Runnable call) {
    return assertThrows(StorageException.class, call::run).getCode();
  }

  @Test
  void createGivesAGenerationAndADoesNotExistPreconditionFailsWith412() {
    Blob created = storage.create(info("t/d/a", "text/markdown"), utf8("hello"),
        Storage.BlobTargetOption.doesNotExist());
    assertNotNull(created.getGeneration());
    assertEquals("text/markdown", created.getContentType());
    assertEquals(5L, created.getSize());
    assertArrayEquals(utf8("hello"), created.getContent());

    assertEquals(412, status(() -> createNew(storage, "t/d/a", "other")));
    Blob got = storage.get(BlobId.of(BUCKET, "t/d/a"));
    assertEquals(created.getGeneration(), got.getGeneration());
    assertArrayEquals(utf8("hello"), storage.readAllBytes(BlobId.of(BUCKET, "t/d/a")));
    assertEquals(got, storage.get(BUCKET, "t/d/a"));
  }

  @Test
  void aCreateWithoutPreconditionOverwritesAndKeepsTheOldGenerationSoftDeleted() {
    long first = createNew(storage, "t/d/a", "one").getGeneration();
    Blob second = storage.create(info("t/d/a", "text/plain"), utf8("two"));
    assertTrue(second.getGeneration() > first);
    assertArrayEquals(utf8("two"), storage.readAllBytes(BlobId.of(BUCKET, "t/d/a")));
    assertEquals(412, status(() -> storage.restore(BlobId.of(BUCKET, "t/d/a", first))));
    assertTrue(storage.delete(BlobId.of(BUCKET, "t/d/a")));
    assertArrayEquals(utf8("one"),
        storage.restore(BlobId.of(BUCKET, "t/d/a", first)).getContent());
  }

  @Test
  void aBlobIdWithAGenerationNamesThatGenerationOnly() {
    long generation = createNew(storage, "t/d/a", "one").getGeneration();
    BlobId other = BlobId.of(BUCKET, "t/d/a", generation + 1);
    assertNull(storage.get(other));
    assertEquals(404, status(() -> storage.readAllBytes(other)));
    assertFalse(storage.delete(other));
    assertArrayEquals(utf8("one"), storage.readAllBytes(BlobId.of(BUCKET, "t/d/a", generation)));
  }

  @Test
  void deleteKeepsTheGenerationSoftDeletedAndRestoreBringsItBack() {
    Blob created = storage.create(info("t/d/a", "application/pdf"), utf8("%PDF"),
        Storage.BlobTargetOption.doesNotExist());
    BlobId plain = BlobId.of(BUCKET, "t/d/a");
    assertTrue(storage.delete(plain));
    assertFalse(storage.delete(plain), "already deleted");
    assertNull(storage.get(plain));
    assertEquals(404, status(() -> storage.readAllBytes(plain)));
    assertEquals(List.of(), names(storage, "t/"));

    assertEquals(404, status(() -> storage.restore(BlobId.of(BUCKET, "t/d/a", 1L))),
        "a generation that never existed");
    Blob restored = storage.restore(BlobId.of(BUCKET, "t/d/a", created.getGeneration()));
    assertEquals(created.getGeneration(), restored.getGeneration());
    assertEquals("application/pdf", restored.getContentType());
    assertArrayEquals(utf8("%PDF"), storage.readAllBytes(plain));
    assertEquals(404, status(() -> storage.restore(
        BlobId.of(BUCKET, "t/d/a", created.getGeneration()))), "no longer soft-deleted");

    long newer = createNew(storage, "t/d/b", "b").getGeneration();
    storage.delete(BlobId.of(BUCKET, "t/d/b"));
    createNew(storage, "t/d/b", "b");
    assertEquals(412, status(() -> storage.restore(BlobId.of(BUCKET, "t/d/b", newer))),
        "a live object of that name exists");
  }

  @Test
  void aRangedReadReadsExactlyTheRange() throws IOException {
    createNew(storage, "t/d/a", "0123456789abcdefghij");
    try (ReadChannel channel = storage.reader(BlobId.of(BUCKET, "t/d/a"))) {
      channel.seek(5);
      channel.limit(12);
      ByteBuffer buffer = ByteBuffer.allocate(20);
      while (channel.read(buffer) >= 0) {
        // until the limit
      }
      assertEquals("56789ab", new String(buffer.array(), 0, buffer.position(),
          StandardCharsets.UTF_8));
    }
    ContentStore content = new ContentStore(storage, BUCKET);
    assertArrayEquals(utf8("fghij"), content.read("t/d/a", 15, 5).orElseThrow());
    assertThrows(IllegalStateException.class, () -> content.read("t/d/a", 15, 6));
    assertTrue(content.read("t/d/missing", 0, 1).isEmpty());

    ReadChannel missing = storage.reader(BlobId.of(BUCKET, "t/d/missing"));
    IOException e = assertThrows(IOException.class, () -> missing.read(ByteBuffer.allocate(1)));
    assertEquals(404, assertInstanceOf(StorageException.class, e.getCause()).getCode());
  }

  @Test
  void theContentStoreWorksOnItAsOnTheService() {
    ContentStore content = new ContentStore(storage, BUCKET);
    ContentStore.Stored first = content.upload("t/d/sha", utf8("x"), "text/plain");
    assertTrue(first.created());
    ContentStore.Stored again = content.upload("t/d/sha", utf8("x"), "text/plain");
    assertEquals(new ContentStore.Stored(first.generation(), false), again);
    assertTrue(content.delete("t/d/sha"));
    assertTrue(content.read("t/d/sha").isEmpty());
    assertEquals(first.generation(), content.restore("t/d/sha", first.generation()));
    assertArrayEquals(utf8("x"), content.read("t/d/sha").orElseThrow());
    assertEquals(404, status(() -> content.restore("t/d/other", 7L)));
  }

  @Test
  void listReturnsTheLiveObjectsUnderAPrefixInNameOrder() {
    for (String name : List.of("b/2", "a/d2/x", "a/d1/z", "a/d1/y", "a/d10/w", "a/d1", "a",
        "a/sp ace/ü", "a/../x", "a//empty", "ab/c")) {
      createNew(storage, name, name);
    }
    storage.delete(BlobId.of(BUCKET, "a/d1/z"));
    assertEquals(List.of("a/d1/y"), names(storage, "a/d1/"));
    assertEquals(List.of("a/d1", "a/d1/y", "a/d10/w"), names(storage, "a/d1"));
    assertEquals(List.of("a", "a/../x", "a//empty", "a/d1", "a/d1/y", "a/d10/w", "a/d2/x",
        "a/sp ace/ü", "ab/c"), names(storage, "a"));
    assertEquals(11 - 1, names(storage, "").size());
    assertEquals(List.of(), names(storage, "c"));
    for (Blob blob : storage.list(BUCKET, Storage.BlobListOption.prefix("a/")).iterateAll()) {
      assertArrayEquals(utf8(blob.getName()), blob.getContent());
      assertEquals((long) utf8(blob.getName()).length, blob.getSize());
      assertEquals("text/plain", blob.getContentType());
      assertNotNull(blob.getGeneration());
    }
    assertTrue(Files.isDirectory(directory.resolve(BUCKET).resolve("a/d1/y")),
        "objects are kept under their names");
  }

  @Test
  void whatItDoesNotImplementItRefuses() {
    createNew(storage, "t/d/a", "a");
    assertThrows(UnsupportedOperationException.class, () -> storage.create(info("t/d/b", null),
        utf8("b"), Storage.BlobTargetOption.generationMatch(3)));
    assertThrows(UnsupportedOperationException.class, () -> storage.create(
        BlobInfo.newBuilder(BlobId.of(BUCKET, "t/d/b")).setMetadata(Map.of("k", "v")).build(),
        utf8("b")));
    assertThrows(UnsupportedOperationException.class,
        () -> storage.list(BUCKET, Storage.BlobListOption.pageSize(10)));
    assertThrows(UnsupportedOperationException.class,
        () -> storage.list(BUCKET, Storage.BlobListOption.currentDirectory()));
    assertThrows(UnsupportedOperationException.class, () -> storage.get(
        BlobId.of(BUCKET, "t/d/a"), Storage.BlobGetOption.metagenerationMatch(1)));
    assertThrows(UnsupportedOperationException.class, () -> storage.copy(
        Storage.CopyRequest.of(BlobId.of(BUCKET, "t/d/a"), BlobId.of(BUCKET, "t/d/c"))));
    assertThrows(UnsupportedOperationException.class,
        () -> storage.get(BlobId.of(BUCKET, "t/d/a"), BlobId.of(BUCKET, "t/d/b")));
    assertThrows(IllegalArgumentException.class, () -> createNew(storage, "t/" + "x".repeat(256),
        "long"));
  }

  @Test
  void aSecondInstanceOnTheSameDirectorySeesEverything() {
    Blob live = storage.create(info("t/d/live", "text/csv"), utf8("a,b"),
        Storage.BlobTargetOption.doesNotExist());
    Blob deleted = createNew(storage, "t/d/deleted", "gone for now");
    storage.delete(BlobId.of(BUCKET, "t/d/deleted"));

    Storage restarted = LocalStorage.open(directory);
    Blob seen = restarted.get(BlobId.of(BUCKET, "t/d/live"));
    assertEquals(live.getGeneration(), seen.getGeneration());
    assertEquals("text/csv", seen.getContentType());
    assertArrayEquals(utf8("a,b"), seen.getContent());
    assertEquals(List.of("t/d/live"), names(restarted, "t/"));
    assertNull(restarted.get(BlobId.of(BUCKET, "t/d/deleted")));
    assertEquals(412, status(() -> createNew(restarted, "t/d/live", "again")));

    Blob restored = restarted.restore(BlobId.of(BUCKET, "t/d/deleted", deleted.getGeneration()));
    assertEquals(deleted.getGeneration(), restored.getGeneration());
    assertArrayEquals(utf8("gone for now"), restored.getContent());
    restarted.delete(BlobId.of(BUCKET, "t/d/live"));
    assertTrue(createNew(restarted, "t/d/live", "new").getGeneration() > live.getGeneration(),
        "generations only grow, across restarts too");
  }

  @Test
  void whatACrashLeavesIsNeverVisibleAndIsRemovedOnTheNextOpen() throws IOException {
    long generation = createNew(storage, "t/d/a", "whole").getGeneration();
    Path object = directory.resolve(BUCKET).resolve("t/d/a");
    // Window 1: a crash while writing bytes or a record leaves a temp file.
    Path halfWritten = Files.writeString(object.resolve("@tmp-123"), "who");
    // Window 2: bytes renamed into place, the record not yet: a generation nothing names.
    Path unnamed = Files.writeString(object.resolve("@" + (generation + 1) + ".bytes"), "new");
    // The same for an object whose first create crashed: no record at all.
    Path first = Files.createDirectories(directory.resolve(BUCKET).resolve("t/d/b"));
    Path orphan = Files.writeString(first.resolve("@42.bytes"), "orphan");
    Path inFlight = Files.writeString(first.resolve("@tmp-456"), "another process, now");
    for (Path stale : List.of(halfWritten, unnamed, orphan)) {
      Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
    }

    assertEquals(generation, storage.get(BlobId.of(BUCKET, "t/d/a")).getGeneration());
    assertArrayEquals(utf8("whole"), storage.readAllBytes(BlobId.of(BUCKET, "t/d/a")));
    assertNull(storage.get(BlobId.of(BUCKET, "t/d/b")));
    assertEquals(List.of("t/d/a"), names(storage, "t/d/"));

    Storage next = LocalStorage.open(directory);
    assertFalse(Files.exists(halfWritten));
    assertFalse(Files.exists(unnamed));
    assertFalse(Files.exists(orphan));
    assertTrue(Files.exists(inFlight), "a fresh temp file may be another writer's");
    assertArrayEquals(utf8("whole"), next.readAllBytes(BlobId.of(BUCKET, "t/d/a")));
    assertTrue(createNew(next, "t/d/b", "b").getGeneration() > 42);
    try (Stream<Path> files = Files.list(object)) {
      assertEquals(List.of("@" + generation + ".bytes", "@object.properties"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void ofConcurrentCreatesOfOneNameExactlyOneWinsAndTheOthersGet412() throws Exception {
    Storage other = LocalStorage.open(directory); // another instance: the lock is the directory's
    int writers = 8;
    CyclicBarrier start = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < 5; round++) {
        String name = "t/d/sha-" + round;
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
          Storage on = i % 2 == 0 ? storage : other;
          results.add(pool.submit(() -> {
            start.await();
            try {
              createNew(on, name, "same bytes");
              return 201;
            } catch (StorageException e) {
              return e.getCode();
            }
          }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
          statuses.add(result.get(30, TimeUnit.SECONDS));
        }
        statuses.sort(null);
        assertEquals(201, statuses.get(0), statuses.toString());
        assertEquals(List.of(201), statuses.stream().filter(s -> s == 201).toList(),
            statuses.toString());
        assertEquals(writers - 1, statuses.stream().filter(s -> s == 412).count(),
            statuses.toString());
        assertArrayEquals(utf8("same bytes"), other.readAllBytes(BlobId.of(BUCKET, name)));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

package dev.docstore.local;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.google.cloud.NoCredentials;
import com.google.cloud.PageImpl;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.LocalBlobs;
import com.google.cloud.storage.Option;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import dev.docstore.local.ObjectRecord.Generation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Cloud Storage (docs/EMULATORS.md): a {@link Storage} whose objects are files under a
 * directory ({@link ObjectFiles}), so that they outlive the process as the service's objects
 * outlive an instance. A new instance on the same directory, in this process or the next, sees
 * every object, its generation and its soft-deleted generations.
 *
 * <p>It implements what docstore uses, with the service's semantics: {@code create} (with
 * {@code doesNotExist()}, 412 when a live object exists; any other target option is refused),
 * {@code get}, {@code readAllBytes} (404 when missing), {@code reader} (with {@code seek} and
 * {@code limit}), {@code delete} (which keeps the generation as soft-deleted, as the bucket's
 * soft delete does), {@code restore} of a soft-deleted generation (404 when there is none, 412
 * when a live object of that name exists), and {@code list} with a prefix. Every generation
 * carries its number (microseconds, as the service's do) and a BlobId with a generation names
 * that generation only. Any other method throws {@link UnsupportedOperationException}.
 *
 * <p>Every call is serialised with every other call on the same directory in this JVM. One
 * process writes a directory at a time; others may read it. Production code sees only the
 * {@link Storage} interface; this is for the local stack, the tests and the benchmark.
 */
public final class LocalStorage {
  /** The local stack's environment variable naming the directory (default {@link #directory}). */
  public static final String DIRECTORY_VARIABLE = "LOCAL_STORAGE_DIR";
  private static final Logger LOG = LoggerFactory.getLogger("docstore.local");
  private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();
  private static final AtomicLong LAST_GENERATION = new AtomicLong();
  /** Older leftovers than this are a crash's, not another process's write in flight. */
  private static final Duration SWEEP_AGE = Duration.ofMinutes(1);
  private static final String USED = "create, get, readAllBytes, reader, delete, restore and list";

  private LocalStorage() {}

  /**
   * The store kept under {@code directory} (created when missing). Opening it removes what a
   * crash in the middle of a write left behind (see {@link ObjectFiles}).
   */
  public static Storage open(Path directory) {
    Path root;
    try {
      root = Files.createDirectories(directory).toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the local storage directory " + directory, e);
    }
    Handler handler = new Handler(new ObjectFiles(root), LOCKS.computeIfAbsent(root,
        k -> new Object()));
    synchronized (handler.lock) {
      int removed = handler.files.sweep(SWEEP_AGE);
      if (removed > 0) {
        LOG.info("removed leftovers of interrupted writes", kv("files", removed));
      }
    }
    return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(),
        new Class<?>[] {Storage.class}, handler);
  }

  /**
   * The directory the local stack keeps its objects in: {@code LOCAL_STORAGE_DIR} when set,
   * else {@link ProjectFiles#localStorage()}.
   */
  public static Path directory(Map<String, String> env) {
    String configured = env.get(DIRECTORY_VARIABLE);
    return configured == null || configured.isBlank() ? ProjectFiles.localStorage()
        : Path.of(configured).toAbsolutePath().normalize();
  }

  private static final class Handler implements InvocationHandler {
    private final ObjectFiles files;
    private final Object lock;
    private volatile StorageOptions options;

    Handler(ObjectFiles files, Object lock) {
      this.files = files;
      this.lock = lock;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      Object[] a = args == null ? new Object[0] : args;
      Storage self = (Storage) proxy;
      switch (method.getName()) {
        case "toString":
          return "LocalStorage(" + files.root() + ")";
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == a[0];
        case "getOptions":
          return options();
        default:
          break;
      }
      synchronized (lock) {
        return dispatch(self, method, a);
      }
    }

    private Object dispatch(Storage self, Method method, Object[] a) {
      String name = method.getName();
      if (name.equals("create") && a.length >= 2 && a[0] instanceof BlobInfo info) {
        if (a.length == 2 && a[1] instanceof Storage.BlobTargetOption[] options) {
          return create(self, info, new byte[0], options);
        }
        if (a.length == 3 && a[1] instanceof byte[] bytes
            && a[2] instanceof Storage.BlobTargetOption[] options) {
          return create(self, info, bytes, options);
        }
        if (a.length == 5 && a[1] instanceof byte[] bytes
            && a[4] instanceof Storage.BlobTargetOption[] options) {
          int offset = (Integer) a[2];
          return create(self, info, Arrays.copyOfRange(bytes, offset, offset + (Integer) a[3]),
              options);
        }
      }
      if (name.equals("list") && a.length == 2 && a[0] instanceof String bucket
          && a[1] instanceof Storage.BlobListOption[] options) {
        return list(self, bucket, options);
      }
      Optional<BlobId> id = blobId(a);
      if (id.isPresent()) {
        Object[] options = a.length > (a[0] instanceof BlobId ? 1 : 2) ? (Object[]) a[a.length - 1]
            : new Object[0];
        switch (name) {
          case "get":
            refuseOptions(name, options);
            return live(id.get()).map(live -> blob(self, id.get().getBucket(), live))
                .orElse(null);
          case "readAllBytes":
            refuseOptions(name, options);
            return readAllBytes(id.get());
          case "reader":
            refuseOptions(name, options);
            BlobId target = id.get();
            return new FileReadChannel(() -> {
              synchronized (lock) {
                return live(target).map(live -> files.bytes(live.directory(), live.generation()));
              }
            });
          case "delete":
            refuseOptions(name, options);
            return delete(id.get());
          case "restore":
            refuseOptions(name, options);
            return restore(self, id.get());
          default:
            break;
        }
      }
      throw new UnsupportedOperationException("LocalStorage does not implement "
          + method + "; it implements " + USED + " of one object at a time");
    }

    private Blob create(Storage self, BlobInfo info, byte[] bytes,
        Storage.BlobTargetOption[] options) {
      boolean doesNotExist = false;
      for (Storage.BlobTargetOption option : options) {
        if (!option.equals(Storage.BlobTargetOption.doesNotExist())) {
          throw new UnsupportedOperationException("LocalStorage supports doesNotExist() only");
        }
        doesNotExist = true;
      }
      BlobId plain = BlobId.of(info.getBucket(), info.getName());
      BlobInfo.Builder kept = BlobInfo.newBuilder(plain);
      if (info.getContentType() != null) {
        kept.setContentType(info.getContentType());
      }
      if (!info.toBuilder().setBlobId(plain).build().equals(kept.build())) {
        throw new UnsupportedOperationException(
            "LocalStorage keeps an object's name, bytes and content type only: " + info);
      }
      Path directory = files.directory(plain.getBucket(), plain.getName());
      ObjectRecord record = files.read(directory).orElse(ObjectRecord.empty(plain.getName()));
      OptionalLong live = record.live();
      if (doesNotExist && live.isPresent()) {
        throw new StorageException(412, "Precondition Failed");
      }
      long generation = nextGeneration(record);
      files.writeBytes(directory, generation, ByteBuffer.wrap(bytes));
      if (live.isPresent()) {
        // Overwritten: the bucket's soft delete keeps the previous generation too.
        record = record.with(live.getAsLong(),
            record.generations().get(live.getAsLong()).softDeleted());
      }
      record = record.with(generation,
          new Generation(info.getContentType(), System.currentTimeMillis(), true));
      files.writeRecord(directory, record);
      return blob(self, plain.getBucket(), new Live(directory, record, generation));
    }

    private byte[] readAllBytes(BlobId id) {
      Live live = live(id).orElseThrow(() ->
          new StorageException(404, "No such object: " + id.getName()));
      try {
        return Files.readAllBytes(files.bytes(live.directory(), live.generation()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private boolean delete(BlobId id) {
      Optional<Live> live = live(id);
      if (live.isEmpty()) {
        return false;
      }
      ObjectRecord record = live.get().record();
      long generation = live.get().generation();
      files.writeRecord(live.get().directory(),
          record.with(generation, record.generations().get(generation).softDeleted()));
      return true;
    }

    private Blob restore(Storage self, BlobId id) {
      if (id.getGeneration() == null) {
        throw new IllegalArgumentException("restore needs a generation: " + id);
      }
      long generation = id.getGeneration();
      Path directory = files.directory(id.getBucket(), id.getName());
      ObjectRecord record = files.read(directory).orElse(ObjectRecord.empty(id.getName()));
      if (!record.isSoftDeleted(generation)) {
        throw new StorageException(404, "No such soft-deleted object generation");
      }
      if (record.live().isPresent()) {
        throw new StorageException(412, "A live object of that name exists");
      }
      record = record.with(generation, record.generations().get(generation).restored());
      files.writeRecord(directory, record);
      return blob(self, id.getBucket(), new Live(directory, record, generation));
    }

    private PageImpl<Blob> list(Storage self, String bucket, Storage.BlobListOption[] options) {
      String prefix = "";
      for (Storage.BlobListOption option : options) {
        prefix = LocalBlobs.prefix(option).orElseThrow(() -> new UnsupportedOperationException(
            "LocalStorage lists with prefix() only, not " + option));
      }
      String wanted = prefix;
      List<Blob> blobs = files.recordsUnder(files.prefixDirectory(bucket, prefix)).stream()
          .filter(s -> s.record().name().startsWith(wanted) && s.record().live().isPresent())
          .sorted(Comparator.comparing(s -> s.record().name()))
          .map(s -> blob(self, bucket,
              new Live(s.directory(), s.record(), s.record().live().getAsLong())))
          .toList();
      return new PageImpl<>(null, null, blobs);
    }

    /** The live generation of an object; only that one, when the id names a generation. */
    private Optional<Live> live(BlobId id) {
      Path directory = files.directory(id.getBucket(), id.getName());
      return files.read(directory).flatMap(record -> {
        OptionalLong live = record.live();
        if (live.isEmpty()
            || (id.getGeneration() != null && id.getGeneration() != live.getAsLong())) {
          return Optional.empty();
        }
        return Optional.of(new Live(directory, record, live.getAsLong()));
      });
    }

    private record Live(Path directory, ObjectRecord record, long generation) {}

    private Blob blob(Storage self, String bucket, Live live) {
      Generation generation = live.record().generations().get(live.generation());
      BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, live.record().name(),
          live.generation())).setContentType(generation.contentType()).build();
      try {
        return LocalBlobs.blob(self, info,
            Files.size(files.bytes(live.directory(), live.generation())),
            generation.createdMillis());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * A generation above every generation of the object and every one this JVM gave: the
     * current time in microseconds, as the service's are, unless that is not above them.
     */
    private static long nextGeneration(ObjectRecord record) {
      long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
      return LAST_GENERATION.updateAndGet(last ->
          Math.max(Math.max(last + 1, now), record.highestGeneration() + 1));
    }

    private StorageOptions options() {
      if (options == null) {
        options = StorageOptions.newBuilder().setProjectId("local")
            .setCredentials(NoCredentials.getInstance()).build();
      }
      return options;
    }

    private static Optional<BlobId> blobId(Object[] a) {
      if (a.length >= 1 && a[0] instanceof BlobId id
          && (a.length == 1 || (a.length == 2 && a[1] instanceof Option<?>[]))) {
        return Optional.of(id);
      }
      if (a.length == 3 && a[0] instanceof String bucket && a[1] instanceof String name
          && a[2] instanceof Option<?>[]) {
        return Optional.of(BlobId.of(bucket, name));
      }
      return Optional.empty();
    }

    private static void refuseOptions(String method, Object[] options) {
      if (options.length > 0) {
        throw new UnsupportedOperationException("LocalStorage supports no options on " + method
            + ": " + Arrays.toString(options));
      }
    }
  }
}

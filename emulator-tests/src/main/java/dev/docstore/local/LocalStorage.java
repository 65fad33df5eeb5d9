package dev.docstore.local;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * google-cloud-nio's in-memory {@code LocalStorageHelper}, adapted where it falls short of GCS
 * (docs/EMULATORS.md): every call is serialised (the helper is not thread-safe), a does-not-exist
 * precondition on an existing object fails with 412 as GCS does, each object gets a generation,
 * deletes are kept as soft-deleted generations so that {@code restore} works, and a read
 * channel's reads are serialised with every other call (its ranged downloads reach the helper's
 * store long after {@code reader} returned).
 *
 * <p>Production code sees only the {@link Storage} interface; this is for tests and ./run-local.
 */
public final class LocalStorage {
  private LocalStorage() {}

  public static Storage create() {
    Storage delegate = LocalStorageHelper.getOptions().getService();
    return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(),
        new Class<?>[] {Storage.class}, new Handler(delegate));
  }

  private static final class Handler implements java.lang.reflect.InvocationHandler {
    private final Storage delegate;
    private final AtomicLong generations = new AtomicLong(1_000_000);
    private final Map<String, Long> liveGenerations = new HashMap<>();
    private final Map<String, SoftDeleted> softDeleted = new HashMap<>();

    Handler(Storage delegate) {
      this.delegate = delegate;
    }

    private record SoftDeleted(BlobInfo info, byte[] bytes) {}

    @Override
    public synchronized Object invoke(Object proxy, Method method, Object[] args)
        throws Throwable {
      String name = method.getName();
      Object[] a = args == null ? new Object[0] : args;
      if (name.equals("create") && a.length == 3 && a[1] instanceof byte[] bytes
          && a[0] instanceof BlobInfo info) {
        return create(info, bytes, (Storage.BlobTargetOption[]) a[2]);
      }
      if (name.equals("get") && a.length >= 1 && a[0] instanceof BlobId id) {
        return withGeneration((Blob) call(method, a));
      }
      if (name.equals("get") && a.length >= 2 && a[0] instanceof String bucket
          && a[1] instanceof String object) {
        return withGeneration((Blob) call(method, a));
      }
      if (name.equals("delete") && a.length >= 1 && a[0] instanceof BlobId id) {
        return delete(id);
      }
      if (name.equals("restore") && a.length >= 1 && a[0] instanceof BlobId id) {
        return restore(id);
      }
      if (name.equals("reader")) {
        return serialised((ReadChannel) call(method, a));
      }
      if (name.equals("readAllBytes") && a.length >= 1 && a[0] instanceof BlobId id) {
        if (delegate.get(BlobId.of(id.getBucket(), id.getName())) == null) {
          throw new StorageException(404, "No such object: " + id.getName());
        }
      }
      return call(method, a);
    }

    private Blob create(BlobInfo info, byte[] bytes, Storage.BlobTargetOption[] options) {
      boolean doesNotExist = Arrays.stream(options)
          .anyMatch(o -> o.equals(Storage.BlobTargetOption.doesNotExist()));
      if (Arrays.stream(options).anyMatch(o -> !o.equals(Storage.BlobTargetOption.doesNotExist())))
      {
        throw new UnsupportedOperationException("LocalStorage supports doesNotExist() only");
      }
      BlobId plain = BlobId.of(info.getBucket(), info.getName());
      if (doesNotExist && delegate.get(plain) != null) {
        throw new StorageException(412, "Precondition Failed");
      }
      delegate.create(info.toBuilder().setBlobId(plain).build(), bytes);
      liveGenerations.put(key(plain), generations.incrementAndGet());
      return withGeneration(delegate.get(plain));
    }

    private boolean delete(BlobId id) {
      BlobId plain = BlobId.of(id.getBucket(), id.getName());
      Blob existing = delegate.get(plain);
      if (existing == null) {
        return false;
      }
      long generation = liveGenerations.getOrDefault(key(plain), 0L);
      softDeleted.put(key(plain) + "#" + generation,
          new SoftDeleted(existing.asBlobInfo(), delegate.readAllBytes(plain)));
      liveGenerations.remove(key(plain));
      return delegate.delete(plain);
    }

    private Blob restore(BlobId id) {
      BlobId plain = BlobId.of(id.getBucket(), id.getName());
      SoftDeleted deleted = softDeleted.get(key(plain) + "#" + id.getGeneration());
      if (deleted == null) {
        throw new StorageException(404, "No such soft-deleted object generation");
      }
      if (delegate.get(plain) != null) {
        throw new StorageException(412, "A live object of that name exists");
      }
      delegate.create(BlobInfo.newBuilder(plain).setContentType(deleted.info().getContentType())
          .build(), deleted.bytes());
      liveGenerations.put(key(plain), id.getGeneration());
      softDeleted.remove(key(plain) + "#" + id.getGeneration());
      return withGeneration(delegate.get(plain));
    }

    /** The channel, each of whose calls holds this handler's lock as every Storage call does. */
    private ReadChannel serialised(ReadChannel channel) {
      return (ReadChannel) Proxy.newProxyInstance(ReadChannel.class.getClassLoader(),
          new Class<?>[] {ReadChannel.class}, (proxy, method, args) -> {
            synchronized (this) {
              try {
                return method.invoke(channel, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }
          });
    }

    private Blob withGeneration(Blob blob) {
      if (blob == null) {
        return null;
      }
      Long generation = liveGenerations.get(key(BlobId.of(blob.getBucket(), blob.getName())));
      return generation == null ? blob
          : blob.toBuilder().setBlobId(
              BlobId.of(blob.getBucket(), blob.getName(), generation)).build();
    }

    private Object call(Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof StorageException se
            && se.getCause() instanceof java.nio.file.FileAlreadyExistsException) {
          throw new StorageException(412, "Precondition Failed");
        }
        throw cause;
      }
    }

    private static String key(BlobId id) {
      return id.getBucket() + "/" + id.getName();
    }
  }
}

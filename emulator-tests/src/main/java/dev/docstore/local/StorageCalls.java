package dev.docstore.local;

import com.google.cloud.storage.Storage;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls made on a {@link Storage} and the bytes its uploads carry, so that tests and
 * the benchmark can say what a request cost in storage (a replay: nothing). Every method of the
 * interface counts as one call but the object's own ({@code toString}, {@code getOptions}).
 */
public final class StorageCalls {
  private static final Set<String> NOT_CALLS = Set.of("toString", "hashCode", "equals",
      "getOptions");

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final Storage storage;

  private StorageCalls(Storage delegate) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (!NOT_CALLS.contains(method.getName())) {
        calls.incrementAndGet();
        for (Object arg : args == null ? new Object[0] : args) {
          if (arg instanceof byte[] bytes) {
            bytesWritten.addAndGet(bytes.length);
          }
        }
      }
      try {
        return method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    this.storage = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(),
        new Class<?>[] {Storage.class}, handler);
  }

  /** A counter over {@code delegate}; give the functions {@link #storage()}. */
  public static StorageCalls counting(Storage delegate) {
    return new StorageCalls(delegate);
  }

  public Storage storage() {
    return storage;
  }

  /** The calls and upload bytes so far; subtract two readings for what happened between. */
  public record Reading(long calls, long bytesWritten) {
    public Reading minus(Reading earlier) {
      return new Reading(calls - earlier.calls, bytesWritten - earlier.bytesWritten);
    }
  }

  public Reading read() {
    return new Reading(calls.get(), bytesWritten.get());
  }

  /** What {@code action} cost in storage, on this thread's requests and any concurrent ones. */
  public Reading during(Runnable action) {
    Reading before = read();
    action.run();
    return read().minus(before);
  }
}

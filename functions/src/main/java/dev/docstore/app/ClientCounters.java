package dev.docstore.app;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many expensive clients this process has built. The benchmark asserts that a warm request
 * builds none: they are created once per instance, lazily.
 */
public final class ClientCounters {
  static final AtomicLong SPANNER = new AtomicLong();
  static final AtomicLong STORAGE = new AtomicLong();
  static final AtomicLong PUBLISHER = new AtomicLong();
  static final AtomicLong OBJECT_MAPPER = new AtomicLong();

  private ClientCounters() {}

  public static long total() {
    return SPANNER.get() + STORAGE.get() + PUBLISHER.get() + OBJECT_MAPPER.get();
  }

  public static String describe() {
    return "spanner=" + SPANNER.get() + " storage=" + STORAGE.get() + " publisher="
        + PUBLISHER.get() + " objectMapper=" + OBJECT_MAPPER.get();
  }
}

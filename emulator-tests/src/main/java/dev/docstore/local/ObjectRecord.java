package dev.docstore.local;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The sidecar of one stored object: its name and every generation kept of it, each live or soft
 * deleted (at most one is live). Stored as {@code @object.properties} beside the generations'
 * bytes, see {@link ObjectFiles}.
 */
record ObjectRecord(String name, Map<Long, Generation> generations) {
  private static final String FORMAT = "1";

  /** One generation: its content type (may be null), when it was created, whether it is live. */
  record Generation(String contentType, long createdMillis, boolean live) {
    Generation softDeleted() {
      return new Generation(contentType, createdMillis, false);
    }

    Generation restored() {
      return new Generation(contentType, createdMillis, true);
    }
  }

  ObjectRecord {
    generations = Collections.unmodifiableMap(new TreeMap<>(generations));
    if (generations.values().stream().filter(Generation::live).count() > 1) {
      throw new IllegalStateException("more than one live generation of " + name);
    }
  }

  static ObjectRecord empty(String name) {
    return new ObjectRecord(name, Map.of());
  }

  OptionalLong live() {
    return generations.entrySet().stream().filter(e -> e.getValue().live())
        .mapToLong(Map.Entry::getKey).findFirst();
  }

  boolean isSoftDeleted(long generation) {
    Generation g = generations.get(generation);
    return g != null && !g.live();
  }

  long highestGeneration() {
    return generations.isEmpty() ? 0 : Collections.max(generations.keySet());
  }

  /** This record with {@code generation} changed to (or added as) {@code value}. */
  ObjectRecord with(long generation, Generation value) {
    Map<Long, Generation> next = new TreeMap<>(generations);
    next.put(generation, value);
    return new ObjectRecord(name, next);
  }

  String format() {
    Properties p = new Properties();
    p.setProperty("format", FORMAT);
    p.setProperty("name", name);
    generations.forEach((g, value) -> {
      if (value.contentType() != null) {
        p.setProperty("generation." + g + ".contentType", value.contentType());
      }
      p.setProperty("generation." + g + ".created", Long.toString(value.createdMillis()));
      p.setProperty("generation." + g + ".state", value.live() ? "live" : "softDeleted");
    });
    StringWriter out = new StringWriter();
    try {
      p.store(out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Reads a record; {@code source} names the file in the error when it is not one. */
  static ObjectRecord parse(Reader in, Object source) throws IOException {
    Properties p = new Properties();
    p.load(in);
    String name = p.getProperty("name");
    if (!FORMAT.equals(p.getProperty("format")) || name == null) {
      throw new IllegalStateException("not an object record of format " + FORMAT + ": " + source);
    }
    Map<Long, Generation> generations = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("generation.") && key.endsWith(".state")) {
        String g = key.substring("generation.".length(), key.length() - ".state".length());
        String state = p.getProperty(key);
        if (!state.equals("live") && !state.equals("softDeleted")) {
          throw new IllegalStateException("generation " + g + " has state " + state + ": "
              + source);
        }
        generations.put(Long.parseLong(g), new Generation(
            p.getProperty("generation." + g + ".contentType"),
            Long.parseLong(p.getProperty("generation." + g + ".created", "0")),
            state.equals("live")));
      }
    }
    return new ObjectRecord(name, generations);
  }
}

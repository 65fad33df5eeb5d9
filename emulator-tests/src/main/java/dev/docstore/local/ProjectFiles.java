package dev.docstore.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/** Finds files of the repository, whatever directory the process was started from. */
public final class ProjectFiles {
  public static final String SCHEMA = "infra/spanner/schema.sql";
  /** Relative to the root; {@code mvn clean} removes it. */
  public static final String LOGS = "emulator-tests/target/logs";
  /** Relative to the root: ./run-local's Cloud Storage objects, kept across its restarts. */
  public static final String LOCAL_STORAGE = "emulator-tests/target/local-storage";
  /** Relative to the root: the tests' and the benchmark's storage, one directory per stack. */
  public static final String STORAGE = "emulator-tests/target/storage";

  private ProjectFiles() {}

  /** The repository root: -Ddocstore.root, else the nearest parent holding the schema. */
  public static Path root() {
    String configured = System.getProperty("docstore.root");
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SCHEMA))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find " + SCHEMA + " above the working directory; set -Ddocstore.root");
  }

  public static Path schema() {
    return root().resolve(SCHEMA);
  }

  /** Where the local tools write their logs: under the build's target/, never in /tmp. */
  public static Path logs() {
    return root().resolve(LOGS);
  }

  /** Where ./run-local keeps its Cloud Storage objects unless told otherwise. */
  public static Path localStorage() {
    return root().resolve(LOCAL_STORAGE);
  }

  /** A new, empty directory {@code {name}-{unique}} under {@link #STORAGE}, for one stack. */
  public static Path newStorageDirectory(String name) {
    Path parent = root().resolve(STORAGE);
    try {
      return Files.createTempDirectory(Files.createDirectories(parent), name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a storage directory under " + parent, e);
    }
  }

  /** Removes {@code directory} and everything in it (a stack's storage, once the stack is done). */
  public static void deleteTree(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + directory, e);
    }
  }

  /** A new, empty log file {@code {name}-{unique}.log} under {@link #logs()}. */
  public static Path newLog(String name) {
    try {
      Path dir = Files.createDirectories(logs());
      return Files.createTempFile(dir, name + "-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a log file under " + logs(), e);
    }
  }
}

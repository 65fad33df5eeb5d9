package dev.docstore.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds files of the repository, whatever directory the process was started from. */
public final class ProjectFiles {
  public static final String SCHEMA = "infra/spanner/schema.sql";
  /** Relative to the root; {@code mvn clean} removes it. */
  public static final String LOGS = "emulator-tests/target/logs";

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

package dev.docstore.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds files of the repository, whatever directory the process was started from. */
public final class ProjectFiles {
  public static final String SCHEMA = "infra/spanner/schema.sql";

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
}

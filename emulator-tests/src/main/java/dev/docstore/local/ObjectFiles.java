package dev.docstore.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The on-disk layout of {@link LocalStorage}, and its atomic writes.
 *
 * <p>Object {@code a/b/c} of bucket {@code B} lives in the directory {@code root/B/a/b/c/}
 * (each segment percent-encoded where it is not {@code [A-Za-z0-9._-]}, so it never starts with
 * {@code @}, is never {@code .} or {@code ..}, and an empty segment is {@code %}):
 *
 * <ul>
 *   <li>{@code @object.properties}, the {@link ObjectRecord}: the name and every generation kept,
 *       live or soft-deleted;
 *   <li>{@code @{generation}.bytes}, one immutable file per generation, written once;
 *   <li>subdirectories, for longer names ({@code a/b/c/d}).
 * </ul>
 *
 * <p>Every file is written to a {@code @tmp-*} file in the same directory, forced to disk, then
 * renamed over its final name with {@code ATOMIC_MOVE}, so that a reader (this process or the
 * next) sees either the old file or the whole new one, never part of one. The record is what
 * makes a generation exist: bytes of a generation no record names are invisible. The crash
 * windows of a create are therefore:
 *
 * <ol>
 *   <li>while the bytes' temp file is written: a {@code @tmp-*} file is left, which nothing reads;
 *   <li>after the bytes are renamed, before the record is: an unnamed {@code @{g}.bytes} is left,
 *       which nothing reads either: the object is as it was before the create;
 *   <li>after the record is renamed: the create is complete.
 * </ol>
 *
 * A delete and a restore only rewrite the record, in one rename. {@link #sweep} removes what the
 * first two windows leave.
 */
final class ObjectFiles {
  static final String RECORD = "@object.properties";
  private static final String TEMP_PREFIX = "@tmp-";
  private static final Pattern BYTES = Pattern.compile("@(\\d+)\\.bytes");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{0,221}");
  private static final int MAX_SEGMENT = 255;

  private final Path root;

  ObjectFiles(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** The directory of object {@code name} of {@code bucket} (which may not exist). */
  Path directory(String bucket, String name) {
    Path dir = bucketDirectory(bucket);
    for (String segment : name.split("/", -1)) {
      dir = dir.resolve(encode(segment, name));
    }
    return dir;
  }

  /**
   * The directory under which every object whose name starts with {@code prefix} lives: that of
   * the prefix's complete segments (all of {@code a/b/} and of {@code a/b/c}).
   */
  Path prefixDirectory(String bucket, String prefix) {
    Path dir = bucketDirectory(bucket);
    int end = prefix.lastIndexOf('/');
    if (end < 0) {
      return dir;
    }
    for (String segment : prefix.substring(0, end).split("/", -1)) {
      dir = dir.resolve(encode(segment, prefix));
    }
    return dir;
  }

  Path bytes(Path directory, long generation) {
    return directory.resolve("@" + generation + ".bytes");
  }

  Optional<ObjectRecord> read(Path directory) {
    Path file = directory.resolve(RECORD);
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return Optional.of(ObjectRecord.parse(in, file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes a generation's bytes (windows 1 and 2 above). */
  void writeBytes(Path directory, long generation, ByteBuffer bytes) {
    writeAtomically(directory, bytes(directory, generation), bytes);
  }

  /** Writes the record, which makes the change visible (window 3 above). */
  void writeRecord(Path directory, ObjectRecord record) {
    writeAtomically(directory, directory.resolve(RECORD),
        ByteBuffer.wrap(record.format().getBytes(StandardCharsets.UTF_8)));
  }

  /** Every object record under {@code directory}, with the directory holding it. */
  List<Stored> recordsUnder(Path directory) {
    List<Stored> found = new ArrayList<>();
    for (Path dir : directoriesUnder(directory)) {
      read(dir).ifPresent(r -> found.add(new Stored(dir, r)));
    }
    return found;
  }

  record Stored(Path directory, ObjectRecord record) {}

  /**
   * Removes what a crash can leave (windows 1 and 2 above): {@code @tmp-*} files and bytes no
   * record names, if older than {@code minAge}. The age keeps a sweep from taking a file that
   * another process writing this directory has not renamed yet: the window between its two
   * renames lasts microseconds. Returns how many files it removed.
   */
  int sweep(Duration minAge) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    Instant before = Instant.now().minus(minAge);
    int removed = 0;
    List<Path> directories = directoriesUnder(root);
    for (Path dir : directories) {
      Optional<ObjectRecord> record = read(dir);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "@*")) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          var bytes = BYTES.matcher(name);
          boolean leftover = name.startsWith(TEMP_PREFIX) || (bytes.matches()
              && !record.map(r -> r.generations().containsKey(Long.parseLong(bytes.group(1))))
                  .orElse(false));
          if (leftover && olderThan(file, before) && Files.deleteIfExists(file)) {
            removed++;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot sweep " + dir, e);
      }
    }
    return removed;
  }

  private static boolean olderThan(Path file, Instant instant) throws IOException {
    try {
      return Files.getLastModifiedTime(file).toInstant().isBefore(instant);
    } catch (NoSuchFileException renamedMeanwhile) {
      return false;
    }
  }

  /**
   * {@code directory} and every directory below it. Only entries that do not start with {@code @}
   * can be directories (encoded segments), so files that come and go are never looked at.
   */
  private static List<Path> directoriesUnder(Path directory) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return found;
    }
    found.add(directory);
    for (int i = 0; i < found.size(); i++) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(found.get(i),
          entry -> !entry.getFileName().toString().startsWith("@"))) {
        for (Path entry : entries) {
          if (Files.isDirectory(entry)) {
            found.add(entry);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + found.get(i), e);
      }
    }
    return found;
  }

  private Path bucketDirectory(String bucket) {
    if (!BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException("not a bucket name: " + bucket);
    }
    return root.resolve(bucket);
  }

  /** Temp file, force, atomic rename, then force the directory (for a power loss, not a crash). */
  private static void writeAtomically(Path directory, Path target, ByteBuffer bytes) {
    Path temp = null;
    try {
      Files.createDirectories(directory);
      temp = Files.createTempFile(directory, TEMP_PREFIX, "");
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      } catch (IOException notSupported) {
        // Some file systems cannot force a directory; the rename is already visible to every
        // process, which is all a crash of this one needs.
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // the next sweep removes it
        }
      }
    }
  }

  private static String encode(String segment, String name) {
    if (segment.isEmpty()) {
      return "%";
    }
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || (c == '.' && !segment.equals(".") && !segment.equals(".."));
      if (plain) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    if (out.length() > MAX_SEGMENT) {
      throw new IllegalArgumentException("LocalStorage stores name segments of up to "
          + MAX_SEGMENT + " encoded characters: " + name);
    }
    return out.toString();
  }
}

package dev.docstore.local;

import com.google.cloud.ReadChannel;
import com.google.cloud.RestorableState;
import com.google.cloud.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A read channel over one generation's bytes file, with {@code seek} and {@code limit} as the
 * service's channel has them (a ranged read). Like the service's channel it finds the object on
 * its first {@code read}: a missing one fails there, with an {@code IOException} around a 404
 * {@code StorageException}. A generation's file is never rewritten, so once open, reading it
 * needs no lock.
 */
final class FileReadChannel implements ReadChannel {
  private final Supplier<Optional<Path>> locate;
  private FileChannel file;
  private boolean open = true;
  private long position;
  private long limit = Long.MAX_VALUE;

  /** {@code locate} finds the live generation's file (under the store's lock), or nothing. */
  FileReadChannel(Supplier<Optional<Path>> locate) {
    this.locate = locate;
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (file == null) {
      Path path = locate.get().orElseThrow(() ->
          new IOException(new StorageException(404, "No such object")));
      file = FileChannel.open(path, StandardOpenOption.READ);
    }
    if (position >= limit) {
      return -1;
    }
    ByteBuffer window = dst.slice();
    window.limit((int) Math.min(window.remaining(), limit - position));
    int n = file.read(window, position);
    if (n > 0) {
      position += n;
      dst.position(dst.position() + n);
    }
    return n;
  }

  @Override
  public synchronized void seek(long position) throws IOException {
    if (position < 0) {
      throw new IOException("negative position " + position);
    }
    this.position = position;
  }

  @Override
  public synchronized ReadChannel limit(long limit) {
    this.limit = limit;
    return this;
  }

  @Override
  public synchronized long limit() {
    return limit;
  }

  /** The service's chunk size is a transport matter; a file has none. */
  @Override
  public void setChunkSize(int chunkSize) {}

  @Override
  public RestorableState<ReadChannel> capture() {
    throw new UnsupportedOperationException("LocalStorage read channels cannot be captured");
  }

  @Override
  public synchronized boolean isOpen() {
    return open;
  }

  @Override
  public synchronized void close() {
    open = false;
    if (file != null) {
      try {
        file.close();
      } catch (IOException ignored) {
        // a read-only file: nothing is lost
      }
    }
  }
}

package dev.docstore.versions;

import dev.docstore.store.ContentStore;

/**
 * A live version's content as its row describes it. The bytes stay in Cloud Storage until
 * {@link #all} or {@link #range} reads them, so an answer that needs none (304, 416) costs no
 * storage read.
 */
public final class VersionContent {
  private final ContentStore store;
  private final String objectName;
  private final String contentType;
  private final String sha256;
  private final long length;

  VersionContent(ContentStore store, String objectName, String contentType, String sha256,
      long length) {
    this.store = store;
    this.objectName = objectName;
    this.contentType = contentType;
    this.sha256 = sha256;
    this.length = length;
  }

  /** The media type exactly as stored. */
  public String contentType() {
    return contentType;
  }

  /** Lower-case hex; the content never changes, so this is its strong validator. */
  public String sha256() {
    return sha256;
  }

  public long length() {
    return length;
  }

  /** Every byte. */
  public byte[] all() {
    return store.read(objectName).orElseThrow(VersionContent::missing);
  }

  /** The {@code count} bytes from {@code offset}, which must lie within {@link #length}. */
  public byte[] range(long offset, int count) {
    if (offset < 0 || count < 0 || offset + count > length) {
      throw new IllegalArgumentException("the range is not within the content");
    }
    return store.read(objectName, offset, count).orElseThrow(VersionContent::missing);
  }

  /**
   * A live version whose object is missing breaks an invariant: a 500, never a 404, which would
   * tell the client the version does not exist.
   */
  private static IllegalStateException missing() {
    return new IllegalStateException("a live version's object is missing");
  }
}

package dev.docstore.api;

/**
 * A byte range none of whose bytes exist: it starts at or past the end of the content, or asks
 * for the last zero bytes, or asks for any bytes of empty content. The answer states the
 * content's {@link #length}, so the caller can ask again for a range that exists.
 */
public final class RangeNotSatisfiable extends DocstoreException {
  private final long length;

  public RangeNotSatisfiable(long length) {
    super("the range is not within the content's " + length + " bytes");
    this.length = length;
  }

  /** The content's length in bytes. */
  public long length() {
    return length;
  }

  @Override
  public Condition condition() {
    return Condition.RANGE_NOT_SATISFIABLE;
  }
}

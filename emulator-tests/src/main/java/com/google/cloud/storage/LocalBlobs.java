package com.google.cloud.storage;

import com.google.storage.v2.ListObjectsRequest;
import java.util.Optional;

/**
 * What the local file-backed {@link Storage} ({@code dev.docstore.local.LocalStorage}) needs from
 * the client library that the library keeps package-private: a {@link Blob} bound to a given
 * {@code Storage} (so that {@code Blob#getContent} reads through it), with its size and creation
 * time; and the prefix of a list option. It lives in the library's package, rather than
 * reaching in by reflection, so that a library upgrade that changes either fails the build.
 */
public final class LocalBlobs {
  private LocalBlobs() {}

  /** {@code info} as a Blob of {@code storage}, {@code size} bytes long, created then. */
  public static Blob blob(Storage storage, BlobInfo info, long size, long createTimeMillis) {
    BlobInfo.BuilderImpl builder = (BlobInfo.BuilderImpl) info.toBuilder();
    builder.setSize(size);
    builder.setCreateTime(createTimeMillis);
    builder.setUpdateTime(createTimeMillis);
    return new Blob(storage, builder);
  }

  /** The prefix a list option asks for; empty when it is any other option. */
  public static Optional<String> prefix(Storage.BlobListOption option) {
    String prefix = option.getOpt().listObjects().apply(ListObjectsRequest.newBuilder())
        .getPrefix();
    return option.equals(Storage.BlobListOption.prefix(prefix)) ? Optional.of(prefix)
        : Optional.empty();
  }
}

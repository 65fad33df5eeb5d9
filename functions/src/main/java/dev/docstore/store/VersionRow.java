package dev.docstore.store;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Struct;

/** A row of DocumentVersions, without its tenant. */
public record VersionRow(
    String documentId,
    long version,
    VersionState state,
    String contentSha256,
    long contentLength,
    String contentType,
    String objectName,
    long objectGeneration,
    Timestamp createdAt,
    String createdBy,
    Timestamp deletedAt) {

  public enum VersionState {
    LIVE,
    DELETED
  }

  static final String COLUMNS =
      "DocumentId, Version, State, ContentSha256, ContentLength, ContentType, ObjectName,"
          + " ObjectGeneration, CreatedAt, CreatedBy, DeletedAt";

  /** {@link #COLUMNS}, each qualified by {@code alias} (the struct fields keep their names). */
  static String qualifiedColumns(String alias) {
    return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
  }

  static VersionRow from(Struct s) {
    return new VersionRow(
        s.getString("DocumentId"),
        s.getLong("Version"),
        VersionState.valueOf(s.getString("State")),
        s.getString("ContentSha256"),
        s.getLong("ContentLength"),
        s.getString("ContentType"),
        s.getString("ObjectName"),
        s.getLong("ObjectGeneration"),
        s.getTimestamp("CreatedAt"),
        s.getString("CreatedBy"),
        s.isNull("DeletedAt") ? null : s.getTimestamp("DeletedAt"));
  }

  public boolean live() {
    return state == VersionState.LIVE;
  }

  public VersionRow deleted(Timestamp at) {
    return new VersionRow(documentId, version, VersionState.DELETED, contentSha256,
        contentLength, contentType, objectName, objectGeneration, createdAt, createdBy, at);
  }

  /** Live again, on the object generation the restore brought back. */
  public VersionRow restored(long generation) {
    return new VersionRow(documentId, version, VersionState.LIVE, contentSha256, contentLength,
        contentType, objectName, generation, createdAt, createdBy, null);
  }
}

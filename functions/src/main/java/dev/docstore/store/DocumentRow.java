package dev.docstore.store;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Struct;

/** A row of Documents, without its tenant: rows never leave the tenant they were read for. */
public record DocumentRow(
    String documentId,
    String title,
    long activeVersion,
    long latestVersion,
    Timestamp createdAt,
    Timestamp updatedAt,
    String createdBy) {

  static final String COLUMNS =
      "DocumentId, Title, ActiveVersion, LatestVersion, CreatedAt, UpdatedAt, CreatedBy";

  static DocumentRow from(Struct s) {
    return new DocumentRow(
        s.getString("DocumentId"),
        s.getString("Title"),
        s.getLong("ActiveVersion"),
        s.getLong("LatestVersion"),
        s.getTimestamp("CreatedAt"),
        s.getTimestamp("UpdatedAt"),
        s.getString("CreatedBy"));
  }

  public DocumentRow withVersions(long active, long latest, Timestamp at) {
    return new DocumentRow(documentId, title, active, latest, createdAt, at, createdBy);
  }
}

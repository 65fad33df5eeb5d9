package dev.docstore.store;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Struct;

/**
 * A row of Documents, without its tenant: rows never leave the tenant they were read for. Every
 * change made through {@code with...} bumps the revision, so no write can forget to change the
 * document's etag.
 */
public record DocumentRow(
    String documentId,
    String title,
    DocumentState state,
    long activeVersion,
    long latestVersion,
    long revision,
    Timestamp createdAt,
    Timestamp updatedAt,
    Timestamp trashedAt,
    String createdBy) {

  public enum DocumentState {
    LIVE,
    TRASHED
  }

  static final String COLUMNS = "DocumentId, Title, State, ActiveVersion, LatestVersion,"
      + " Revision, CreatedAt, UpdatedAt, TrashedAt, CreatedBy";

  static DocumentRow from(Struct s) {
    return new DocumentRow(
        s.getString("DocumentId"),
        s.getString("Title"),
        DocumentState.valueOf(s.getString("State")),
        s.getLong("ActiveVersion"),
        s.getLong("LatestVersion"),
        s.getLong("Revision"),
        s.getTimestamp("CreatedAt"),
        s.getTimestamp("UpdatedAt"),
        s.isNull("TrashedAt") ? null : s.getTimestamp("TrashedAt"),
        s.getString("CreatedBy"));
  }

  /** A new live document at revision 1. */
  public static DocumentRow created(String documentId, String title, Timestamp at,
      String createdBy) {
    return new DocumentRow(documentId, title, DocumentState.LIVE, 1, 1, 1, at, at, null,
        createdBy);
  }

  public boolean trashed() {
    return state == DocumentState.TRASHED;
  }

  public DocumentRow withVersions(long active, long latest, Timestamp at) {
    return new DocumentRow(documentId, title, state, active, latest, revision + 1, createdAt,
        at, trashedAt, createdBy);
  }

  public DocumentRow withTitle(String newTitle, Timestamp at) {
    return new DocumentRow(documentId, newTitle, state, activeVersion, latestVersion,
        revision + 1, createdAt, at, trashedAt, createdBy);
  }

  public DocumentRow inTrash(Timestamp at) {
    return new DocumentRow(documentId, title, DocumentState.TRASHED, activeVersion,
        latestVersion, revision + 1, createdAt, at, at, createdBy);
  }

  public DocumentRow outOfTrash(Timestamp at) {
    return new DocumentRow(documentId, title, DocumentState.LIVE, activeVersion, latestVersion,
        revision + 1, createdAt, at, null, createdBy);
  }
}

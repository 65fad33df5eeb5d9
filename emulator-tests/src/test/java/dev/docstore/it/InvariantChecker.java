package dev.docstore.it;

import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import dev.docstore.input.Sha256;
import dev.docstore.store.ContentStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * docs/CONTRACT.md's invariants, read from Spanner and storage: every document, live or in the
 * trash, has a live active version (a trashed document keeps its versions as they were, so a
 * restore brings it back whole); latestVersion is the maximum; versions are numbered 1..n
 * without gaps; every live version's object exists and holds bytes with its sha256; every
 * object belongs to a document that has a row, or to a purged one whose tombstone says a purge
 * run will still delete it (a purged document leaves no row and, once finished, no object); a
 * document's state is LIVE or TRASHED, with a trashedAt exactly while TRASHED, and its revision
 * is at least 1. Returns every violation at once.
 *
 * <p>The last three are CHECK constraints of the schema as well (DocumentsState,
 * DocumentsTrashedAt, DocumentsRevision), which Spanner enforces on every write, so a row can
 * only break them if a constraint is dropped; the checker still reads them, which is cheap.
 */
public final class InvariantChecker {
  private final DatabaseClient db;
  private final ContentStore content;

  public InvariantChecker(DatabaseClient db, ContentStore content) {
    this.db = db;
    this.content = content;
  }

  public List<String> violations() {
    List<String> problems = new ArrayList<>();
    // No filter on State: the active-version check covers TRASHED documents too.
    query("SELECT d.TenantId, d.DocumentId, d.ActiveVersion, d.LatestVersion,"
        + " (SELECT COUNT(*) FROM DocumentVersions v WHERE v.TenantId = d.TenantId"
        + "   AND v.DocumentId = d.DocumentId) AS n,"
        + " (SELECT MAX(v.Version) FROM DocumentVersions v WHERE v.TenantId = d.TenantId"
        + "   AND v.DocumentId = d.DocumentId) AS maxVersion,"
        + " (SELECT MIN(v.Version) FROM DocumentVersions v WHERE v.TenantId = d.TenantId"
        + "   AND v.DocumentId = d.DocumentId) AS minVersion,"
        + " (SELECT v.State FROM DocumentVersions v WHERE v.TenantId = d.TenantId"
        + "   AND v.DocumentId = d.DocumentId AND v.Version = d.ActiveVersion) AS activeState"
        + " FROM Documents d", rs -> {
          String doc = rs.getString("TenantId") + "/" + rs.getString("DocumentId");
          long n = rs.getLong("n");
          if (n == 0) {
            problems.add(doc + ": has no versions");
            return;
          }
          if (rs.isNull("activeState") || !"LIVE".equals(rs.getString("activeState"))) {
            problems.add(doc + ": active version " + rs.getLong("ActiveVersion")
                + " is not live (" + (rs.isNull("activeState") ? "missing"
                : rs.getString("activeState")) + ")");
          }
          if (rs.getLong("LatestVersion") != rs.getLong("maxVersion")) {
            problems.add(doc + ": latestVersion " + rs.getLong("LatestVersion")
                + " is not the maximum " + rs.getLong("maxVersion"));
          }
          if (rs.getLong("minVersion") != 1 || rs.getLong("maxVersion") != n) {
            problems.add(doc + ": versions are not 1.." + n + " (min "
                + rs.getLong("minVersion") + ", max " + rs.getLong("maxVersion") + ")");
          }
        });
    query("SELECT TenantId, DocumentId, Version, ContentSha256, ObjectName FROM DocumentVersions"
        + " WHERE State = 'LIVE'", rs -> {
          String where = rs.getString("TenantId") + "/" + rs.getString("DocumentId") + " v"
              + rs.getLong("Version");
          Optional<byte[]> bytes = content.read(rs.getString("ObjectName"));
          if (bytes.isEmpty()) {
            problems.add(where + ": live version's object is missing");
          } else if (!Sha256.hex(bytes.get()).equals(rs.getString("ContentSha256"))) {
            problems.add(where + ": object bytes do not match the recorded sha256");
          }
        });
    Set<String> documents = new HashSet<>();
    query("SELECT TenantId, DocumentId FROM Documents", rs ->
        documents.add(rs.getString("TenantId") + "/" + rs.getString("DocumentId") + "/"));
    Set<String> tombstones = new HashSet<>();
    query("SELECT TenantId, DocumentId FROM PurgedDocuments", rs ->
        tombstones.add(rs.getString("TenantId") + "/" + rs.getString("DocumentId") + "/"));
    // A document that ever committed left outbox rows (its creation at least; they are kept a
    // week after publishing). An object whose document never committed is the upload of a
    // rolled-back or unknown-outcome createDocument: never referenced, and allowed by the
    // contract (a later reconciler may remove it). Only an object of a document that existed,
    // has no row and no tombstone is one that nothing will ever remove.
    Set<String> committed = new HashSet<>();
    query("SELECT DISTINCT TenantId, DocumentId FROM AnalyticsOutbox", rs ->
        committed.add(rs.getString("TenantId") + "/" + rs.getString("DocumentId") + "/"));
    for (String object : content.objectNamesUnder("")) {
      int documentEnd = object.indexOf('/', object.indexOf('/') + 1) + 1;
      String prefix = object.substring(0, documentEnd);
      if (documentEnd == 0 || committed.contains(prefix) && !documents.contains(prefix)
          && !tombstones.contains(prefix)) {
        problems.add(object + ": object of a document with no row and no tombstone");
      }
    }
    query("SELECT TenantId, DocumentId, Version FROM DocumentVersions"
        + " WHERE (State = 'DELETED') != (DeletedAt IS NOT NULL)", rs ->
        problems.add(rs.getString("TenantId") + "/" + rs.getString("DocumentId") + " v"
            + rs.getLong("Version") + ": state and deletedAt disagree"));
    query("SELECT TenantId, DocumentId, State, Revision FROM Documents"
        + " WHERE State NOT IN ('LIVE', 'TRASHED') OR (State = 'TRASHED') != (TrashedAt IS NOT NULL)"
        + " OR Revision < 1", rs -> problems.add(rs.getString("TenantId") + "/"
            + rs.getString("DocumentId") + ": state " + rs.getString("State") + ", trashedAt"
            + " and revision " + rs.getLong("Revision") + " disagree"));
    return problems;
  }

  interface RowConsumer {
    void accept(ResultSet rs);
  }

  private void query(String sql, RowConsumer consumer) {
    try (ResultSet rs = db.singleUse().executeQuery(Statement.of(sql))) {
      while (rs.next()) {
        consumer.accept(rs);
      }
    }
  }
}

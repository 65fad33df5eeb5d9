package dev.docstore.store;

import com.google.cloud.Timestamp;
import com.google.cloud.spanner.DatabaseClient;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import com.google.cloud.spanner.Value;
import dev.docstore.store.DocumentRow.DocumentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Documents and their versions in Spanner. Every method takes the tenant first and puts it in the
 * key or the WHERE clause: a statement or mutation without the tenant cannot be written through
 * this class (StoreTenantScopeTest checks the source).
 */
public final class DocumentStore {
  static final String DOCUMENTS = "Documents";
  static final String VERSIONS = "DocumentVersions";

  private final DatabaseClient db;

  public DocumentStore(DatabaseClient db) {
    this.db = db;
  }

  // ---- single-use reads (no lock, no transaction) ----

  /**
   * The document with at most {@code limit} of its versions numbered above {@code afterVersion},
   * in ascending number, in one round trip: the document's row answers whether it exists, its
   * ARRAY subquery the page of versions.
   */
  public Optional<DocumentWithVersions> getDocument(String tenantId, String documentId,
      long afterVersion, int limit) {
    Statement statement =
        Statement.newBuilder(
                "SELECT " + DocumentRow.COLUMNS + ", ARRAY(SELECT AS STRUCT "
                    + VersionRow.COLUMNS + " FROM DocumentVersions v"
                    + " WHERE v.TenantId = @tenantId AND v.DocumentId = @documentId"
                    + " AND v.Version > @afterVersion"
                    + " ORDER BY v.Version LIMIT @limit) AS Versions"
                    + " FROM Documents WHERE TenantId = @tenantId AND DocumentId = @documentId")
            .bind("tenantId").to(tenantId)
            .bind("documentId").to(documentId)
            .bind("afterVersion").to(afterVersion)
            .bind("limit").to(limit)
            .build();
    try (ResultSet rs = db.singleUse().executeQuery(statement)) {
      if (!rs.next()) {
        return Optional.empty();
      }
      DocumentRow doc = DocumentRow.from(rs.getCurrentRowAsStruct());
      List<VersionRow> versions =
          rs.getStructList("Versions").stream().map(VersionRow::from).toList();
      return Optional.of(new DocumentWithVersions(doc, versions));
    }
  }

  public Optional<VersionRow> getVersion(String tenantId, String documentId, long version) {
    Struct row =
        db.singleUse()
            .readRow(VERSIONS, Key.of(tenantId, documentId, version),
                List.of(VersionRow.COLUMNS.split(",\\s*")));
    return Optional.ofNullable(row).map(VersionRow::from);
  }

  /** A page of the tenant's documents in {@code state}, newest first, after the position. */
  public List<DocumentRow> listDocuments(
      String tenantId, DocumentState state, Optional<ListPosition> after, int limit) {
    String where = "TenantId = @tenantId AND State = @state";
    Statement.Builder builder;
    if (after.isPresent()) {
      where += " AND (CreatedAt < @afterCreatedAt"
          + " OR (CreatedAt = @afterCreatedAt AND DocumentId > @afterDocumentId))";
    }
    builder =
        Statement.newBuilder(
                "SELECT " + DocumentRow.COLUMNS
                    + " FROM Documents@{FORCE_INDEX=DocumentsByStateAndCreatedAt} WHERE " + where
                    + " ORDER BY CreatedAt DESC, DocumentId LIMIT @limit")
            .bind("tenantId").to(tenantId)
            .bind("state").to(state.name())
            .bind("limit").to(limit);
    if (after.isPresent()) {
      builder.bind("afterCreatedAt").to(after.get().createdAt())
          .bind("afterDocumentId").to(after.get().documentId());
    }
    List<DocumentRow> rows = new ArrayList<>();
    try (ResultSet rs = db.singleUse().executeQuery(builder.build())) {
      while (rs.next()) {
        rows.add(DocumentRow.from(rs.getCurrentRowAsStruct()));
      }
    }
    return rows;
  }

  public record ListPosition(Timestamp createdAt, String documentId) {}

  // ---- parts of a write transaction's first statement ----

  public static Subquery documentRow(String tenantId, String documentId) {
    return new Subquery("document",
        "ARRAY(SELECT AS STRUCT " + DocumentRow.COLUMNS
            + " FROM Documents WHERE TenantId = @tenantId AND DocumentId = @documentId)",
        Map.of("tenantId", Value.string(tenantId), "documentId", Value.string(documentId)));
  }

  /** One version of the document. */
  public static Subquery versionRow(String tenantId, String documentId, long version) {
    return new Subquery("version",
        "ARRAY(SELECT AS STRUCT " + VersionRow.COLUMNS + " FROM DocumentVersions"
            + " WHERE TenantId = @tenantId AND DocumentId = @documentId AND Version = @version)",
        Map.of("tenantId", Value.string(tenantId), "documentId", Value.string(documentId),
            "version", Value.int64(version)));
  }

  /** The document's latest version (for createDocumentVersion's deterministic dedupe). */
  public static Subquery latestVersionRow(String tenantId, String documentId) {
    // A join rather than "v.Version = (SELECT ...)": the emulator scans the whole table for a
    // scalar subquery in a predicate (docs/PERFORMANCE.md); Spanner seeks either way.
    return new Subquery("latest",
        "ARRAY(SELECT AS STRUCT " + VersionRow.qualifiedColumns("v") + " FROM Documents d"
            + " JOIN DocumentVersions v ON v.TenantId = @tenantId AND v.TenantId = d.TenantId"
            + " AND v.DocumentId = d.DocumentId AND v.Version = d.LatestVersion"
            + " WHERE d.TenantId = @tenantId AND d.DocumentId = @documentId)",
        Map.of("tenantId", Value.string(tenantId), "documentId", Value.string(documentId)));
  }

  /** The versions of the document whose content is that of {@code version}, itself included. */
  public static Subquery versionsSharingContent(String tenantId, String documentId,
      long version) {
    // A join for the same reason as in latestVersionRow.
    return new Subquery("sharing",
        "ARRAY(SELECT AS STRUCT " + VersionRow.qualifiedColumns("v") + " FROM DocumentVersions s"
            + " JOIN DocumentVersions v ON v.TenantId = @tenantId AND v.TenantId = s.TenantId"
            + " AND v.DocumentId = s.DocumentId AND v.ContentSha256 = s.ContentSha256"
            + " WHERE s.TenantId = @tenantId AND s.DocumentId = @documentId"
            + " AND s.Version = @version ORDER BY v.Version)",
        Map.of("tenantId", Value.string(tenantId), "documentId", Value.string(documentId),
            "version", Value.int64(version)));
  }

  /** Whether a live version of the document references this content (a strong read). */
  public boolean liveVersionReferences(String tenantId, String documentId, String sha256) {
    Statement statement = Statement.newBuilder(
            "SELECT COUNT(*) FROM DocumentVersions WHERE TenantId = @tenantId"
                + " AND DocumentId = @documentId AND ContentSha256 = @sha256 AND State = 'LIVE'")
        .bind("tenantId").to(tenantId)
        .bind("documentId").to(documentId)
        .bind("sha256").to(sha256)
        .build();
    try (ResultSet rs = db.singleUse().executeQuery(statement)) {
      rs.next();
      return rs.getLong(0) > 0;
    }
  }

  public static Optional<VersionRow> version(Struct fused) {
    return fused.getStructList("version").stream().findFirst().map(VersionRow::from);
  }

  public static Optional<VersionRow> latest(Struct fused) {
    return fused.getStructList("latest").stream().findFirst().map(VersionRow::from);
  }

  public static List<VersionRow> sharing(Struct fused) {
    return fused.getStructList("sharing").stream().map(VersionRow::from).toList();
  }

  public static Optional<DocumentRow> document(Struct fused) {
    return fused.getStructList("document").stream().findFirst().map(DocumentRow::from);
  }

  // ---- mutations, all keyed by (TenantId, ...) ----

  public static Mutation insertDocument(String tenantId, DocumentRow d) {
    return Mutation.newInsertBuilder(DOCUMENTS)
        .set("TenantId").to(tenantId)
        .set("DocumentId").to(d.documentId())
        .set("Title").to(d.title())
        .set("State").to(d.state().name())
        .set("ActiveVersion").to(d.activeVersion())
        .set("LatestVersion").to(d.latestVersion())
        .set("Revision").to(d.revision())
        .set("CreatedAt").to(d.createdAt())
        .set("UpdatedAt").to(d.updatedAt())
        .set("TrashedAt").to(d.trashedAt())
        .set("CreatedBy").to(d.createdBy())
        .build();
  }

  /** Every mutable column of the document: its title, state, pointers and revision. */
  public static Mutation updateDocument(String tenantId, DocumentRow d) {
    return Mutation.newUpdateBuilder(DOCUMENTS)
        .set("TenantId").to(tenantId)
        .set("DocumentId").to(d.documentId())
        .set("Title").to(d.title())
        .set("State").to(d.state().name())
        .set("ActiveVersion").to(d.activeVersion())
        .set("LatestVersion").to(d.latestVersion())
        .set("Revision").to(d.revision())
        .set("UpdatedAt").to(d.updatedAt())
        .set("TrashedAt").to(d.trashedAt())
        .build();
  }

  /**
   * Removes the document for good: its versions go with it (DocumentVersions is interleaved
   * ON DELETE CASCADE).
   */
  public static Mutation deleteDocument(String tenantId, String documentId) {
    return Mutation.delete(DOCUMENTS, Key.of(tenantId, documentId));
  }

  public static Mutation insertVersion(String tenantId, VersionRow v) {
    return Mutation.newInsertBuilder(VERSIONS)
        .set("TenantId").to(tenantId)
        .set("DocumentId").to(v.documentId())
        .set("Version").to(v.version())
        .set("State").to(v.state().name())
        .set("ContentSha256").to(v.contentSha256())
        .set("ContentLength").to(v.contentLength())
        .set("ContentType").to(v.contentType())
        .set("ObjectName").to(v.objectName())
        .set("ObjectGeneration").to(v.objectGeneration())
        .set("CreatedAt").to(v.createdAt())
        .set("CreatedBy").to(v.createdBy())
        .set("DeletedAt").to(v.deletedAt())
        .build();
  }

  public static Mutation updateVersionState(String tenantId, VersionRow v) {
    return Mutation.newUpdateBuilder(VERSIONS)
        .set("TenantId").to(tenantId)
        .set("DocumentId").to(v.documentId())
        .set("Version").to(v.version())
        .set("State").to(v.state().name())
        .set("ObjectGeneration").to(v.objectGeneration())
        .set("DeletedAt").to(v.deletedAt())
        .build();
  }
}

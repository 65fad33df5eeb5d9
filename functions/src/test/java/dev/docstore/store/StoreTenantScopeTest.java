package dev.docstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.store.TenantScopeScanner.Finding;
import dev.docstore.store.TenantScopeScanner.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Build-time audit of "every statement is scoped" (docs/CONTRACT.md, "Tenant isolation"): every
 * SQL statement, mutation and key read of the store package names the caller's tenant,
 * including each final UPDATE or DELETE. No other package can hold one: ArchitectureTest's rule
 * "only the store package writes SQL, builds mutations, reads keys or reads result sets" bans
 * Statement, ResultSet, ReadContext, Key, KeySet, KeyRange and the mutation builders elsewhere. {@link TenantScopeScanner} reads the source; the deliberate
 * exceptions are listed below with the reason for each.
 */
class StoreTenantScopeTest {
  private static final Path MAIN = Path.of("src", "main", "java", "dev", "docstore");
  private static final List<String> STORE_LAYER = List.of("store");

  /** A finding that is deliberate: in this file, whose kind or snippet contains this text. */
  record Allowed(String file, String contains, String why) {
    boolean covers(Finding f) {
      return f.file().equals(file) && (f.kind() + " " + f.snippet()).contains(contains);
    }
  }

  static final List<Allowed> ALLOWLIST = List.of(
      // The outbox relay serves every tenant's outbox: it scans the pending index across
      // tenants on purpose. Each row it returns carries its TenantId, and markPublished writes
      // it back keyed by (TenantId, EventId), which this test does check.
      new Allowed("store/OutboxStore.java", "FROM AnalyticsOutbox", "relay pending scan"),
      new Allowed("store/OutboxStore.java", "statement does not bind @tenantId",
          "relay pending scan"),
      // The relay's read of which pending events were counted: the keys of the rows that scan
      // returned, each (TenantId, EventId) taken from its row, across tenants like the scan.
      new Allowed("store/OutboxStore.java", "read key does not start with the tenant",
          "relay counted lookup of the scanned rows"),
      // purgeTrash, a background function with no tenant, serves every tenant's trash: its
      // key range on the trash index and its read of the tombstones span tenants on purpose.
      // They yield (TenantId, DocumentId) keys only; the purge transaction (the fused read, the
      // delete, the tombstone) and the tombstone's removal are keyed by the tenant, and checked.
      new Allowed("store/TrashStore.java", "readUsingIndex key does not start with the tenant",
          "purge scan of the expired trash"),
      new Allowed("store/TrashStore.java", "read key does not start with the tenant",
          "purge scan of the tombstones"),
      // The write transaction's fused first statement is assembled at run time from
      // Subqueries (each checked here, as new Subquery(...) in its store), and FusedRead
      // refuses at run time any part whose @tenantId is not the caller's tenant.
      new Allowed("store/FusedRead.java", "SQL not built from literals", "fused first read"),
      new Allowed("store/FusedRead.java", "SQL outside a statement builder",
          "the fused read's \"SELECT \" prefix"),
      // A Cloud Storage read channel filling a buffer, not a Spanner read by key: the object
      // it reads is named by ContentStore.objectName, whose first segment is the tenant.
      new Allowed("store/ContentStore.java", ".read(bytes)", "storage channel read"));

  private static List<Path> storeLayerFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : STORE_LAYER) {
      try (Stream<Path> walk = Files.walk(MAIN.resolve(dir))) {
        walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
      }
    }
    return files;
  }

  @Test
  void everyStatementMutationAndKeyReadOfTheStoreLayerNamesTheTenant() throws IOException {
    List<Finding> all = new ArrayList<>();
    int statements = 0;
    int mutations = 0;
    int keyReads = 0;
    for (Path file : storeLayerFiles()) {
      String name = MAIN.relativize(file).toString().replace('\\', '/');
      Result r = TenantScopeScanner.scan(name, Files.readString(file, StandardCharsets.UTF_8));
      all.addAll(r.findings());
      statements += r.statements();
      mutations += r.mutations();
      keyReads += r.keyReads();
    }
    List<String> unexpected = all.stream()
        .filter(f -> ALLOWLIST.stream().noneMatch(a -> a.covers(f)))
        .map(Finding::toString).toList();
    assertEquals(List.of(), unexpected,
        "statements without the tenant (scope them, or allowlist them with a reason)");
    for (Allowed allowed : ALLOWLIST) {
      assertTrue(all.stream().anyMatch(allowed::covers),
          "stale allowlist entry, nothing matches it any more: " + allowed);
    }
    // The scan saw the store layer, not an empty directory: the statements of DocumentStore,
    // IdempotencyStore, OutboxStore, UsageStore and WriteShape; the mutations of documents,
    // versions, idempotency records, the outbox and the usage counters; the key reads.
    assertTrue(statements >= 11, "statements seen: " + statements);
    assertTrue(mutations >= 9, "mutations seen: " + mutations);
    assertTrue(keyReads >= 3, "key reads seen: " + keyReads);
  }

  // ---- the scanner can fail: each bad snippet is caught, each good one passes ----

  private static List<Finding> scan(String body) {
    return TenantScopeScanner.scan("Snippet.java", "class Snippet {\n" + body + "\n}\n")
        .findings();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // a read without the tenant
      """
      Statement s = Statement.newBuilder("SELECT Title FROM Documents WHERE DocumentId = @id")
          .bind("id").to(id).build();
      """,
      // the final UPDATE after a pre-check that did name the tenant
      """
      Statement check = Statement.newBuilder("SELECT State FROM DocumentVersions"
          + " WHERE TenantId = @tenantId AND DocumentId = @d").bind("tenantId").to(t).build();
      Statement s = Statement.newBuilder("UPDATE DocumentVersions SET State = 'DELETED'"
          + " WHERE DocumentId = @d AND Version = @v").bind("d").to(d).build();
      """,
      // DELETE without the tenant
      """
      tx.executeUpdate(Statement.newBuilder("DELETE FROM Documents WHERE DocumentId = @d")
          .bind("d").to(d).build());
      """,
      // the tenant in a subquery only, not for the outer table
      """
      Statement s = Statement.newBuilder("SELECT * FROM DocumentVersions v WHERE v.Version ="
          + " (SELECT d.LatestVersion FROM Documents d WHERE d.TenantId = @tenantId)")
          .bind("tenantId").to(t).build();
      """,
      // the tenant predicate qualified with another table's alias
      """
      Statement s = Statement.newBuilder("SELECT * FROM Documents d JOIN DocumentVersions v"
          + " ON v.DocumentId = d.DocumentId WHERE d.TenantId = @tenantId")
          .bind("tenantId").to(t).build();
      """,
      // TenantId compared with something other than the bound caller's tenant
      """
      Statement s = Statement.newBuilder("SELECT * FROM Documents WHERE TenantId = @owner")
          .bind("owner").to(t).build();
      """,
      // the predicate is there but @tenantId is never bound
      """
      Statement s = Statement.newBuilder("SELECT * FROM Documents WHERE TenantId = @tenantId"
          + " AND DocumentId = @d").bind("d").to(d).build();
      """,
      // INSERT DML without the tenant column
      """
      Statement s = Statement.newBuilder("INSERT INTO Documents (DocumentId, Title)"
          + " VALUES (@d, @title)").bind("d").to(d).build();
      """,
      // a statement that cannot bind anything
      """
      Statement s = Statement.of("SELECT COUNT(*) FROM Documents");
      """,
      // a local variable that drops the tenant
      """
      String where = "DocumentId = @d";
      Statement s = Statement.newBuilder("SELECT * FROM Documents WHERE " + where)
          .bind("d").to(d).build();
      """,
      // SQL the scanner cannot read
      """
      Statement s = Statement.newBuilder(buildSql()).bind("tenantId").to(t).build();
      """,
      // SQL hiding in a constant outside any builder, in any case
      """
      static final String SQL = "SELECT * FROM Documents";
      """,
      """
      String sql = "select title from documents where documentid = @d";
      """,
      """
      String sql = "delete from documents";
      """,
      // a subquery without the tenant, or without its parameter
      """
      Subquery q = new Subquery("doc", "ARRAY(SELECT AS STRUCT * FROM Documents"
          + " WHERE DocumentId = @documentId)", Map.of("documentId", Value.string(d)));
      """,
      """
      Subquery q = new Subquery("doc", "ARRAY(SELECT AS STRUCT * FROM Documents"
          + " WHERE TenantId = @tenantId)", Map.of("documentId", Value.string(d)));
      """,
      // mutations without TenantId
      """
      Mutation m = Mutation.newUpdateBuilder("DocumentVersions")
          .set("DocumentId").to(d).set("Version").to(v).set("State").to("DELETED").build();
      """,
      """
      Mutation m = Mutation.newInsertOrUpdateBuilder(TABLE).set("IdempotencyKey").to(k).build();
      """,
      """
      Mutation m = Mutation.newInsertBuilder("Documents")
          .set("DocumentId").to(d) // .set("TenantId").to(t)
          .build();
      """,
      """
      Mutation m = Mutation.newReplaceBuilder("Documents").set("DocumentId").to(d).build();
      """,
      // deletes and reads by a key that does not start with the tenant
      """
      Mutation m = Mutation.delete("Documents", Key.of(documentId));
      """,
      """
      Mutation m = Mutation.delete("Documents", KeySet.all());
      """,
      """
      Struct row = tx.readRow("Documents", Key.of(documentId), List.of("Title"));
      """,
      """
      Key key = Key.of(documentId, version);
      Struct row = db.singleUse().readRow("DocumentVersions", key, List.of("State"));
      """,
      """
      ResultSet rs = db.singleUse().read("Documents", KeySet.all(), List.of("Title"));
      """,
  })
  void badSnippetIsCaught(String snippet) {
    assertTrue(!scan(snippet).isEmpty(), "the scanner missed:\n" + snippet);
  }

  @Test
  void goodSnippetsPass() {
    String good = """
        // comments with SQL are ignored: SELECT * FROM Documents
        /* DELETE FROM Documents */
        Statement a = Statement.newBuilder("SELECT " + COLUMNS + ", ARRAY(SELECT AS STRUCT x"
            + " FROM DocumentVersions v WHERE v.TenantId = @tenantId AND v.DocumentId = @d)"
            + " FROM Documents WHERE TenantId = @tenantId AND DocumentId = @d")
            .bind("tenantId").to(t).bind("d").to(d).build();
        String where = "TenantId = @tenantId";
        where += " AND CreatedAt < @after";
        Statement.Builder b = Statement.newBuilder("SELECT * FROM Documents@{FORCE_INDEX=I}"
            + " WHERE " + where + " LIMIT @limit").bind("tenantId").to(t);
        Statement c = b.build();
        Statement u = Statement.newBuilder("UPDATE DocumentVersions SET State = 'DELETED'"
            + " WHERE TenantId = @tenantId AND DocumentId = @d").bind("tenantId").to(t).build();
        Statement del = Statement.newBuilder("DELETE FROM Documents WHERE"
            + " Documents.TenantId = @tenantId AND DocumentId = @d")
            .bind("tenantId").to(t).build();
        Statement ins = Statement.newBuilder("INSERT INTO Documents (TenantId, DocumentId)"
            + " VALUES (@tenantId, @d)").bind("tenantId").to(t).build();
        Subquery q = new Subquery("doc", "ARRAY(SELECT AS STRUCT * FROM Documents d"
            + " WHERE d.TenantId = @tenantId)", Map.of("tenantId", Value.string(t)));
        Mutation m1 = Mutation.newUpdateBuilder(TABLE).set("TenantId").to(t)
            .set("DocumentId").to(d).build();
        Mutation m2 = Mutation.delete("Documents", Key.of(tenantId, documentId));
        Mutation m3 = Mutation.delete("Outbox", Key.of(event.tenantId(), event.eventId()));
        Key counter = Key.of(tenantId, day);
        Struct r1 = tx.readRow("DailyApiUsage", counter, List.of("Count"));
        Struct r2 = db.singleUse().readRow("Documents",
            com.google.cloud.spanner.Key.of(tenantId, d), List.of("Title"));
        log.info("Deleted the object; select another one");
        String msg = "no SQL here: selection, updates, inserted";
        """;
    assertEquals(List.of(), scan(good));
  }
}

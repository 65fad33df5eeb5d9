package dev.docstore.it;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.DELETE_DOCUMENT;
import static dev.docstore.api.Operation.DELETE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.GET_USAGE;
import static dev.docstore.api.Operation.GET_VERSION_CONTENT;
import static dev.docstore.api.Operation.LIST_DOCUMENTS;
import static dev.docstore.api.Operation.LIST_VERSIONS;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT;
import static dev.docstore.api.Operation.RESTORE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.SET_ACTIVE_VERSION;
import static dev.docstore.api.Operation.UPDATE_DOCUMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.spanner.ResultSet;
import com.google.cloud.spanner.Statement;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import dev.docstore.api.Operation;
import dev.docstore.input.Sha256;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenant B, holding tenant A's ids (and guessing version numbers), gets exactly what a missing
 * id gets, for every function, and A's rows and objects do not change.
 */
class CrossTenantTest {
  @RegisterExtension
  static final Stack STACK = new Stack();
  private static final String A = "tenant-a";
  private static final String B = "tenant-b";
  /** Only ever named next to A in a repeated header, so it never has a row. */
  private static final String C = "tenant-c";
  private static final String MISSING = "0b7e6a52-5f0e-4a6b-9d3c-000000000000";
  private static String docA;
  /** A's document in the trash, which only A's {@code ?state=TRASHED} listing shows. */
  private static String trashedA;

  @BeforeAll
  static void tenantAHasADocumentWithHistoryAndOneInTheTrash() {
    Api api = STACK.api();
    docA = api.post(CREATE_DOCUMENT).tenant(A)
        .json(Map.of("title", "A's secret plan", "content", "a1")).send()
        .json().at("/document/documentId").asText();
    api.post(CREATE_DOCUMENT_VERSION).tenant(A)
        .json(Map.of("documentId", docA, "content", "a2", "activate", false)).send();
    api.post(CREATE_DOCUMENT_VERSION).tenant(A)
        .json(Map.of("documentId", docA, "content", "a3", "activate", false)).send();
    assertEquals(200, api.post(DELETE_DOCUMENT_VERSION).tenant(A)
        .json(Map.of("documentId", docA, "version", 3)).send().status());
    trashedA = api.post(CREATE_DOCUMENT).tenant(A)
        .json(Map.of("title", "A's old plan", "content", "a-old")).send()
        .json().at("/document/documentId").asText();
    assertEquals(200, api.post(DELETE_DOCUMENT).tenant(A)
        .json(Map.of("documentId", trashedA)).send().status());
    for (var m : STACK.events().drain(300)) {
      STACK.deliver(m.getMessage());
    }
  }

  /** Every row of every table for tenant A, and A's objects with their digests. */
  private static String snapshotOfA() {
    StringBuilder out = new StringBuilder();
    for (String table : Rows.TABLES) {
      try (ResultSet rs = STACK.rows().client().singleUse().executeQuery(
          Statement.newBuilder("SELECT * FROM " + table + " WHERE TenantId = @t")
              .bind("t").to(A).build())) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getCurrentRowAsStruct().toString());
        }
        rows.sort(null);
        out.append(table).append(rows).append('\n');
      }
    }
    Map<String, String> objects = new TreeMap<>();
    for (Blob blob : STACK.local().storage().list(STACK.local().config().contentBucket(),
        Storage.BlobListOption.prefix(A + "/")).iterateAll()) {
      objects.put(blob.getName(), Sha256.hex(blob.getContent()));
    }
    return out.append("objects").append(objects).toString();
  }

  /** A problem without its request id: what B learns from an answer. */
  private static String visible(Api.Response r) {
    JsonNode json = r.json();
    return r.status() + " " + json.get("code").asText() + " " + json.get("title").asText() + " "
        + json.get("detail").asText();
  }

  private static Api.Response call(Operation function, String tenant, String documentId,
      long version) {
    Api api = STACK.api();
    return switch (function) {
      case GET_DOCUMENT -> api.get(function).tenant(tenant).query("documentId=" + documentId)
          .send();
      case LIST_VERSIONS -> api.get(function).tenant(tenant)
          .query("documentId=" + documentId + "&pageSize=" + version).send();
      case GET_VERSION_CONTENT -> api.get(function).tenant(tenant)
          .query("documentId=" + documentId + "&version=" + version).send();
      case CREATE_DOCUMENT_VERSION -> api.post(function).tenant(tenant).key("guess-" + version)
          .json(Map.of("documentId", documentId, "content", "b was here")).send();
      // If-Match is checked only once the document is found: a 412 would reveal it.
      case UPDATE_DOCUMENT -> api.post(function).tenant(tenant).header("If-Match", "*")
          .key("guess-rename-" + version)
          .json(Map.of("documentId", documentId, "title", "b was here")).send();
      case DELETE_DOCUMENT, RESTORE_DOCUMENT -> api.post(function).tenant(tenant)
          .header("If-Match", "\"guess-" + version + "\"")
          .key("guess-" + function.functionName() + version)
          .json(Map.of("documentId", documentId)).send();
      default -> api.post(function).tenant(tenant).key("guess-" + function.functionName() + version)
          .json(Map.of("documentId", documentId, "version", version)).send();
    };
  }

  @Test
  void everyFunctionAnswersAnotherTenantsIdsLikeMissingOnesAndChangesNothing() {
    String before = snapshotOfA();
    List<Operation> functions = List.of(GET_DOCUMENT, LIST_VERSIONS, GET_VERSION_CONTENT,
        CREATE_DOCUMENT_VERSION, SET_ACTIVE_VERSION, DELETE_DOCUMENT_VERSION,
        RESTORE_DOCUMENT_VERSION, UPDATE_DOCUMENT, DELETE_DOCUMENT, RESTORE_DOCUMENT);
    for (Operation function : functions) {
      for (String id : List.of(docA, trashedA)) {
        for (long version : new long[] {1, 2, 3, 99}) {
          Api.Response guessed = call(function, B, id, version);
          Api.Response missing = call(function, B, MISSING, version);
          BadInputTest.assertProblem(guessed, 404, "not_found");
          assertEquals(visible(missing), visible(guessed), function + " v" + version
              + " must not reveal that A's " + (id.equals(docA) ? "" : "trashed ")
              + "document exists");
        }
      }
    }
    assertEquals(before, snapshotOfA(), "A's rows and objects are unchanged");
  }

  @Test
  void listingsAndUsageShowNothingOfAnotherTenant() {
    STACK.api().post(CREATE_DOCUMENT).tenant(B).json(Map.of("title", "B's", "content", "b"))
        .send();
    for (var m : STACK.events().drain(300)) {
      STACK.deliver(m.getMessage());
    }
    JsonNode list = STACK.api().get(LIST_DOCUMENTS).tenant(B).send().json();
    assertEquals(1, list.get("documents").size());
    assertEquals("B's", list.at("/documents/0/title").asText());
    // A's trash is not empty, so B's would show it if the listing ignored the tenant.
    assertEquals(trashedA, STACK.api().get(LIST_DOCUMENTS).tenant(A).query("state=TRASHED")
        .send().json().at("/documents/0/documentId").asText());
    assertEquals(0, STACK.api().get(LIST_DOCUMENTS).tenant(B).query("state=TRASHED").send()
        .json().get("documents").size());
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonNode usageB = STACK.api().get(GET_USAGE).tenant(B)
        .query("from=" + today + "&to=" + today).send().json();
    assertEquals(1, usageB.get("days").size(), usageB.toString());
    assertEquals("createDocument", usageB.at("/days/0/operation").asText());
    assertEquals(1, usageB.at("/days/0/count").asLong());
    JsonNode usageA = STACK.api().get(GET_USAGE).tenant(A)
        .query("from=" + today + "&to=" + today).send().json();
    long totalA = 0;
    for (JsonNode day : usageA.get("days")) {
      totalA += day.get("count").asLong();
    }
    assertEquals(6, totalA, "A's own usage is intact: " + usageA);
  }

  @Test
  void aDevCredentialHeaderSentTwiceIs401WhicheverComesFirst() {
    String before = snapshotOfA();
    Api api = STACK.api();
    String get = "/" + GET_DOCUMENT.functionName() + "?documentId=" + docA;
    String create = "/" + CREATE_DOCUMENT.functionName();
    String body = "{\"title\":\"sent twice\",\"content\":\"x\"}";
    // the same request with the header once reaches A: the 401s below come from the repeat
    assertEquals(200, api.rawStatus("GET", get, List.of("X-Tenant-Id: " + A), null));
    for (List<String> twice : List.of(
        List.of("X-Tenant-Id: " + A, "X-Tenant-Id: " + C),
        List.of("X-Tenant-Id: " + C, "X-Tenant-Id: " + A),
        List.of("X-Tenant-Id: " + A, "x-tenant-id: " + A),
        List.of("X-Tenant-Id: " + A, "X-User-Id: u1", "X-User-Id: u2"))) {
      assertEquals(401, api.rawStatus("GET", get, twice, null), twice.toString());
      assertEquals(401, api.rawStatus("GET", "/" + LIST_DOCUMENTS.functionName(), twice, null),
          twice.toString());
      List<String> write = new ArrayList<>(twice);
      write.add("Idempotency-Key: twice-" + twice.hashCode());
      assertEquals(401, api.rawStatus("POST", create, write, body), twice.toString());
    }
    assertEquals(before, snapshotOfA(), "A's rows and objects are unchanged");
    assertEquals("Documents=0 DocumentVersions=0 IdempotencyRecords=0 AnalyticsOutbox=0"
        + " DailyApiUsage=0 DailyApiUsageShards=0 ProcessedEvents=0", STACK.rows().census(C));
  }
}

package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.docstore.api.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For each write function: how to prepare a tenant so that two different valid requests (A and
 * B) exist, and what they are. Used by the idempotency, failpoint and tenant matrices.
 */
public enum WriteScenario {
  CREATE_DOCUMENT(Operation.CREATE_DOCUMENT),
  CREATE_DOCUMENT_VERSION(Operation.CREATE_DOCUMENT_VERSION),
  SET_ACTIVE_VERSION(Operation.SET_ACTIVE_VERSION),
  DELETE_DOCUMENT_VERSION(Operation.DELETE_DOCUMENT_VERSION),
  RESTORE_DOCUMENT_VERSION(Operation.RESTORE_DOCUMENT_VERSION),
  UPDATE_DOCUMENT(Operation.UPDATE_DOCUMENT),
  DELETE_DOCUMENT(Operation.DELETE_DOCUMENT),
  RESTORE_DOCUMENT(Operation.RESTORE_DOCUMENT);

  public final Operation operation;
  public final String function;
  public final String eventType;

  WriteScenario(Operation operation) {
    this.operation = operation;
    this.function = operation.functionName();
    this.eventType = operation.eventType();
  }

  /**
   * A prepared tenant: a document with versions 1 (active), 2 and 3 in the needed states, and
   * for the writes on a whole document a second one, so that A and B name different documents.
   */
  public record Prepared(String tenant, String documentId, String otherDocumentId) {}

  public Prepared prepare(Api api, String tenant) {
    if (this == CREATE_DOCUMENT) {
      return new Prepared(tenant, null, null);
    }
    String id = createDocument(api, tenant);
    if (this == UPDATE_DOCUMENT || this == DELETE_DOCUMENT || this == RESTORE_DOCUMENT) {
      String other = createDocument(api, tenant);
      if (this == RESTORE_DOCUMENT) {
        for (String trashed : List.of(id, other)) {
          assertEquals(200, api.post(Operation.DELETE_DOCUMENT).tenant(tenant)
              .json(Map.of("documentId", trashed)).send().status());
        }
      }
      return new Prepared(tenant, id, other);
    }
    for (String content : List.of("v2", "v3")) {
      assertEquals(201, api.post(Operation.CREATE_DOCUMENT_VERSION).tenant(tenant)
          .json(Map.of("documentId", id, "content", content, "activate", false)).send()
          .status());
    }
    if (this == RESTORE_DOCUMENT_VERSION) {
      for (int v : new int[] {2, 3}) {
        assertEquals(200, api.post(Operation.DELETE_DOCUMENT_VERSION).tenant(tenant)
            .json(Map.of("documentId", id, "version", v)).send().status());
      }
    }
    return new Prepared(tenant, id, null);
  }

  private static String createDocument(Api api, String tenant) {
    Api.Response created = api.post(Operation.CREATE_DOCUMENT).tenant(tenant)
        .json(Map.of("title", "scenario", "content", "v1")).send();
    assertEquals(201, created.status(), created.toString());
    return created.json().at("/document/documentId").asText();
  }

  /** Request body A (variant 0) or B (variant 1): both valid, different fingerprints. */
  public Map<String, Object> body(Prepared p, int variant) {
    Map<String, Object> body = new HashMap<>();
    switch (this) {
      case CREATE_DOCUMENT -> {
        body.put("title", variant == 0 ? "Alpha" : "Beta");
        body.put("content", variant == 0 ? "alpha" : "beta");
      }
      case CREATE_DOCUMENT_VERSION -> {
        body.put("documentId", p.documentId());
        body.put("content", variant == 0 ? "alpha" : "beta");
      }
      case UPDATE_DOCUMENT -> {
        body.put("documentId", p.documentId());
        body.put("title", variant == 0 ? "Alpha" : "Beta");
      }
      case DELETE_DOCUMENT, RESTORE_DOCUMENT ->
          body.put("documentId", variant == 0 ? p.documentId() : p.otherDocumentId());
      case SET_ACTIVE_VERSION, DELETE_DOCUMENT_VERSION, RESTORE_DOCUMENT_VERSION -> {
        body.put("documentId", p.documentId());
        body.put("version", variant == 0 ? 2 : 3);
      }
    }
    return body;
  }

  public int successStatus() {
    return this == CREATE_DOCUMENT || this == CREATE_DOCUMENT_VERSION ? 201 : 200;
  }

  public Api.Response send(Api api, Prepared p, int variant, String key) {
    Api.Request request = api.post(function).tenant(p.tenant()).json(body(p, variant));
    if (key != null) {
      request.key(key);
    }
    return request.send();
  }

  /** Committed effects of this function for the tenant: its outbox rows. */
  public long effects(Rows rows, String tenant) {
    return rows.queryLong("SELECT COUNT(*) FROM AnalyticsOutbox WHERE TenantId = @t AND Type = '"
        + eventType + "'", tenant) - baseline(tenant, rows);
  }

  private final Map<String, Long> baselines = new HashMap<>();

  /** Records the effects the preparation itself made, so {@link #effects} counts from zero. */
  public Prepared prepareCounted(Api api, Rows rows, String tenant) {
    Prepared p = prepare(api, tenant);
    synchronized (baselines) {
      baselines.put(tenant, 0L);
      baselines.put(tenant, effects(rows, tenant));
    }
    return p;
  }

  private long baseline(String tenant, Rows rows) {
    synchronized (baselines) {
      return baselines.getOrDefault(tenant, 0L);
    }
  }
}

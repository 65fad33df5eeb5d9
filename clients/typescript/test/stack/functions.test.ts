// Every HTTP function once, against a real local stack (DOCSTORE_URL; started by the emulator
// tests' TypeScriptClientTest).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { DocstoreClient, DocstoreError } from "../../src/index.js";
import { stackUrl, today, untilUsage } from "./stack.js";

describe("every function against the local stack", () => {
  const tenantId = `ts-${Date.now().toString(36)}`;
  let docstore: DocstoreClient;
  before(() => {
    docstore = new DocstoreClient({ baseUrl: stackUrl(), devAuth: { tenantId, userId: "alice" } });
  });

  it("the whole lifecycle, each function answering as typed", async () => {
    const created = await docstore.createDocument({ title: "Notes", content: "first" });
    const documentId = created.document.documentId;
    assert.equal(created.version.version, 1);
    assert.equal(created.document.createdBy, "alice");
    assert.equal(created.version.contentType, "text/plain; charset=utf-8");

    const bytes = new Uint8Array(256).map((_, i) => i);
    const second = await docstore.createDocumentVersion({ documentId,
      content: new Blob([bytes], { type: "application/octet-stream" }), activate: false });
    assert.equal(second.version.version, 2);
    assert.equal(second.document.activeVersion, 1);
    assert.equal(second.version.contentLength, 256);

    const content = await docstore.getVersionContent({ documentId, version: 2 });
    assert.deepEqual(content.data, bytes);
    assert.equal(content.contentType, "application/octet-stream");
    assert.equal(content.etag, `"${second.version.contentSha256}"`);
    const range = await docstore.getVersionContent({ documentId, version: 2 },
        { range: "bytes=10-12" });
    assert.equal(range.status, 206);
    assert.deepEqual([...range.data], [10, 11, 12]);
    const text = await docstore.getVersionContent({ documentId, version: 1 });
    assert.equal(new TextDecoder().decode(text.data), "first");

    const activated = await docstore.setActiveVersion({ documentId, version: 2 });
    assert.equal(activated.document.activeVersion, 2);
    const deleted = await docstore.deleteDocumentVersion({ documentId, version: 1 });
    assert.equal(deleted.version.state, "DELETED");
    const restored = await docstore.restoreDocumentVersion({ documentId, version: 1 });
    assert.equal(restored.version.state, "LIVE");

    const stale = restored.document.etag;
    const renamed = await docstore.updateDocument({ documentId, title: "Renamed" },
        { ifMatch: stale });
    assert.equal(renamed.document.title, "Renamed");
    const refused = await docstore.updateDocument({ documentId, title: "Lost" },
        { ifMatch: stale }).catch((e) => e);
    assert.ok(refused instanceof DocstoreError);
    assert.equal(refused.status, 412);
    assert.equal(refused.code, "precondition_failed");
    assert.equal(refused.etag, renamed.document.etag);
    assert.match(refused.requestId ?? "", /.+/);

    const page = await docstore.listVersions({ documentId, pageSize: 1 });
    assert.deepEqual(page.versions.map((v) => v.version), [1]);
    assert.ok(page.nextPageToken);
    const next = await docstore.listVersions({ documentId, pageSize: 1,
      pageToken: page.nextPageToken });
    assert.deepEqual(next.versions.map((v) => v.version), [2]);

    const trashed = await docstore.deleteDocument({ documentId });
    assert.equal(trashed.document.state, "TRASHED");
    const inTrash = await docstore.listDocuments({ state: "TRASHED" });
    assert.deepEqual(inTrash.documents.map((d) => d.documentId), [documentId]);
    assert.deepEqual((await docstore.listDocuments()).documents, []);
    const readOnly = await docstore.createDocumentVersion({ documentId, content: "x" })
        .catch((e) => e);
    assert.equal(readOnly.code, "document_state");
    const back = await docstore.restoreDocument({ documentId });
    assert.equal(back.document.state, "LIVE");

    const read = await docstore.getDocument({ documentId });
    assert.equal(read.document.title, "Renamed");
    assert.deepEqual(read.versions.map((v) => [v.version, v.state]), [[1, "LIVE"], [2, "LIVE"]]);

    // Eight writes took effect; the refused ones (412, 409) count nothing.
    const usage = await untilUsage(docstore, 8);
    const counted = Object.fromEntries(usage.map((d) => [d.operation, d.count]));
    assert.deepEqual(counted, {
      createDocument: 1, createDocumentVersion: 1, setActiveVersion: 1,
      deleteDocumentVersion: 1, restoreDocumentVersion: 1, updateDocument: 1,
      deleteDocument: 1, restoreDocument: 1,
    });
    assert.ok(usage.every((d) => d.day === today()));

    const published = await docstore.publishOutbox();
    assert.ok(published.published >= 0 && published.failed === 0);
    const purged = await docstore.purgeTrash();
    assert.deepEqual(purged, { purged: 0, finished: 0, skipped: 0 });
  });

  it("a key given again replays the first answer instead of writing twice", async () => {
    const idempotencyKey = `again-${Date.now()}`;
    const first = await docstore.createDocument({ title: "Once", content: "once" },
        { idempotencyKey });
    const again = await docstore.createDocument({ title: "Once", content: "once" },
        { idempotencyKey });
    assert.equal(again.document.documentId, first.document.documentId);
    const reused = await docstore.createDocument({ title: "Other", content: "other" },
        { idempotencyKey }).catch((e) => e);
    assert.equal(reused.status, 409);
    assert.equal(reused.code, "idempotency_key_reused");
  });

  it("errors are DocstoreErrors with the problem's members", async () => {
    const missing = await docstore.getDocument(
        { documentId: "00000000-0000-4000-8000-000000000000" }).catch((e) => e);
    assert.ok(missing instanceof DocstoreError);
    assert.equal(missing.status, 404);
    assert.equal(missing.code, "not_found");
    assert.equal(missing.detail, "the document was not found");
    const anonymous = new DocstoreClient({ baseUrl: stackUrl() });
    const refused = await anonymous.listDocuments().catch((e) => e);
    assert.equal(refused.status, 401);
    assert.equal(refused.code, "unauthenticated");
  });
});

// The flaky network: user actions through a proxy (DOCSTORE_FLAKY_URL) that resets some requests
// before they reach the stack, drops some answers after the stack processed the request, and
// delays others. Each action is one client call, so one Idempotency-Key reused on its retries:
// N actions must end as exactly N effects, read back directly from the stack (DOCSTORE_URL).
import assert from "node:assert/strict";
import { it } from "node:test";
import { DocstoreClient, type RetryEvent } from "../../src/index.js";
import { required, stackUrl, untilUsage } from "./stack.js";

const DOCUMENTS = 12;

it("N actions through a flaky network are exactly N effects", async () => {
  const tenantId = `flaky-${Date.now().toString(36)}`;
  const retries: RetryEvent[] = [];
  const flaky = new DocstoreClient({
    baseUrl: required("DOCSTORE_FLAKY_URL"),
    devAuth: { tenantId },
    retry: { maxAttempts: 12, initialDelayMs: 20, maxDelayMs: 400, totalBudgetMs: 60_000 },
    onRetry: (event) => retries.push(event),
  });
  const direct = new DocstoreClient({ baseUrl: stackUrl(), devAuth: { tenantId } });

  // Three actions per document, the documents four at a time: create, a new version, a rename.
  let actions = 0;
  const ids: string[] = [];
  for (let start = 0; start < DOCUMENTS; start += 4) {
    await Promise.all(Array.from({ length: Math.min(4, DOCUMENTS - start) }, async (_, i) => {
      const n = start + i;
      const { document } = await flaky.createDocument({ title: `doc ${n}`, content: `v1 of ${n}` });
      actions++;
      ids.push(document.documentId);
      await flaky.createDocumentVersion({ documentId: document.documentId,
        content: new TextEncoder().encode(`v2 of ${n}`) });
      actions++;
      await flaky.updateDocument({ documentId: document.documentId, title: `renamed ${n}` });
      actions++;
    }));
  }

  const { documents } = await direct.listDocuments({ pageSize: 100 });
  assert.deepEqual(documents.map((d) => d.documentId).sort(), [...ids].sort());
  let versions = 0;
  for (const document of documents) {
    const read = await direct.getDocument({ documentId: document.documentId });
    versions += read.versions.length;
    assert.equal(read.document.latestVersion, 2);
    assert.match(read.document.title, /^renamed \d+$/);
  }
  assert.equal(versions, 2 * DOCUMENTS);

  const usage = await untilUsage(direct, actions);
  // A little longer: a duplicate effect would be counted after the expected ones.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const settled = await untilUsage(direct, actions, 0);
  const counted = Object.fromEntries(settled.map((d) => [d.operation, d.count]));
  assert.deepEqual(counted,
      { createDocument: DOCUMENTS, createDocumentVersion: DOCUMENTS, updateDocument: DOCUMENTS });
  assert.ok(usage.length > 0);
  // Documents and versions as the API reads them back; renames leave no row to count but usage.
  const effects = documents.length + (versions - documents.length) + (counted.updateDocument ?? 0);
  assert.equal(effects, actions);
  assert.ok(retries.length > 0, "the proxy made the client retry");
  const network = retries.filter((r) => r.reason === "network").length;
  console.log(`FLAKY actions=${actions} retries=${retries.length} networkRetries=${network}`
      + ` effects=${effects} counted=${settled.reduce((s, d) => s + d.count, 0)}`);
});

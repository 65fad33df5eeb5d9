import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DocstoreClient,
  DocstoreError,
  DocstoreNetworkError,
  type DocstoreClientOptions,
  type RetryEvent,
} from "../../src/index.js";
import { backoffMs, DEFAULT_RETRY_POLICY, parseRetryAfter } from "../../src/retry.js";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

type Reply = Response | Error | ((sent: Sent) => Response | Error);

/** A fetch that records every request and answers from a script, one reply per attempt. */
function fakeFetch(replies: Reply[]): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request: Sent = {
      url: String(input),
      method: init?.method ?? "GET",
      headers: Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>)),
      body: init?.body as string | undefined,
    };
    sent.push(request);
    const next = replies.shift();
    if (next === undefined) throw new Error("unexpected request " + request.url);
    const reply = typeof next === "function" ? next(request) : next;
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { fetch: fetchImpl as typeof fetch, sent };
}

const DOC = {
  documentId: "0b6c1f1e-7b0a-4a8e-9d55-3a1c2e4f5a6b",
  title: "t",
  state: "LIVE",
  activeVersion: 1,
  latestVersion: 1,
  createdAt: "2026-12-01T00:00:00.000000000Z",
  updatedAt: "2026-12-01T00:00:00.000000000Z",
  createdBy: "alice",
  etag: '"r1"',
};
const VERSION = {
  documentId: DOC.documentId,
  version: 1,
  state: "LIVE",
  contentSha256: "0".repeat(64),
  contentLength: 5,
  contentType: "text/plain; charset=utf-8",
  createdAt: DOC.createdAt,
  createdBy: "alice",
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

function problem(status: number, code: string, extra: Record<string, unknown> = {},
    headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({
    type: `https://docstore.dev/problems/${code}`, title: code, status, detail: `${code} detail`,
    code, requestId: "req-1", ...extra,
  }), { status, headers: { "Content-Type": "application/problem+json", ...headers } });
}

function client(replies: Reply[], extra: Partial<DocstoreClientOptions> = {}) {
  const fake = fakeFetch(replies);
  const waits: number[] = [];
  const retries: RetryEvent[] = [];
  let clock = 0;
  let keys = 0;
  const docstore = new DocstoreClient({
    baseUrl: "http://stack.test/",
    devAuth: { tenantId: "acme", userId: "alice" },
    fetch: fake.fetch,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    now: () => clock,
    newIdempotencyKey: () => `key-${++keys}`,
    onRetry: (event) => retries.push(event),
    ...extra,
  });
  return { docstore, sent: fake.sent, waits, retries };
}

describe("idempotency keys", () => {
  it("one key per write call, the same on every retry of it", async () => {
    const { docstore, sent, retries } = client([
      new TypeError("fetch failed"),
      problem(503, "unavailable"),
      json(201, { document: DOC, version: VERSION }),
      json(200, { document: DOC }),
    ]);
    await docstore.createDocument({ title: "t", content: "hello" });
    await docstore.updateDocument({ documentId: DOC.documentId, title: "u" });
    assert.deepEqual(sent.map((s) => s.headers["Idempotency-Key"]),
        ["key-1", "key-1", "key-1", "key-2"]);
    assert.deepEqual(retries.map((r) => [r.reason, r.idempotencyKey]),
        [["network", "key-1"], [503, "key-1"]]);
  });

  it("a key given by the caller is sent as it is", async () => {
    const { docstore, sent } = client([json(200, { document: DOC })]);
    await docstore.deleteDocument({ documentId: DOC.documentId }, { idempotencyKey: "mine" });
    assert.equal(sent[0]?.headers["Idempotency-Key"], "mine");
  });

  it("reads carry no key", async () => {
    const { docstore, sent } = client([json(200, { documents: [] })]);
    await docstore.listDocuments({ pageSize: 5, state: "TRASHED" });
    assert.equal(sent[0]?.headers["Idempotency-Key"], undefined);
    assert.equal(sent[0]?.url, "http://stack.test/listDocuments?pageSize=5&state=TRASHED");
    assert.equal(sent[0]?.method, "GET");
  });

  it("the default key is a random UUID", async () => {
    const fake = fakeFetch([json(200, { document: DOC }), json(200, { document: DOC })]);
    const docstore = new DocstoreClient({ baseUrl: "http://s", fetch: fake.fetch });
    await docstore.restoreDocument({ documentId: DOC.documentId });
    await docstore.restoreDocument({ documentId: DOC.documentId });
    const [a, b] = fake.sent.map((s) => s.headers["Idempotency-Key"]);
    assert.match(a ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a, b);
  });
});

describe("retries", () => {
  it("retries 429 and 503 and network failures, and nothing else", async () => {
    for (const status of [400, 401, 404, 409, 412, 413, 415, 500]) {
      const { docstore, sent } = client([problem(status, "invalid_request")]);
      await assert.rejects(docstore.getDocument({ documentId: DOC.documentId }), DocstoreError);
      assert.equal(sent.length, 1, `status ${status} is not retried`);
    }
    const { docstore, sent } = client([
      problem(429, "unavailable"), problem(503, "unavailable"), new TypeError("reset"),
      json(200, { documents: [] }),
    ]);
    assert.deepEqual(await docstore.listDocuments(), { documents: [] });
    assert.equal(sent.length, 4);
  });

  it("backs off exponentially with jitter, capped", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 1000 };
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffMs(policy, n, undefined, () => 0.999)),
        [99, 199, 399, 799, 999, 999]);
    assert.equal(backoffMs(policy, 3, undefined, () => 0), 0);
  });

  it("waits what Retry-After says, in seconds or as a date, bounded by maxDelayMs", async () => {
    assert.equal(parseRetryAfter("2", 0), 2000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter("soon", 0), undefined);
    const { docstore, waits } = client([
      problem(503, "unavailable", {}, { "Retry-After": "2" }),
      problem(429, "unavailable", {}, { "Retry-After": "60" }),
      json(200, { days: [] }),
    ]);
    await docstore.getUsage({ from: "2026-12-01", to: "2026-12-01" });
    assert.deepEqual(waits, [2000, DEFAULT_RETRY_POLICY.maxDelayMs]);
  });

  it("gives up after maxAttempts with the last answer's error", async () => {
    const { docstore, sent } = client(Array.from({ length: 3 }, () => problem(503, "unavailable")),
        { retry: { maxAttempts: 3 } });
    const error = await docstore.getDocument({ documentId: DOC.documentId }).catch((e) => e);
    assert.ok(error instanceof DocstoreError);
    assert.equal(error.status, 503);
    assert.equal(sent.length, 3);
  });

  it("gives up when the next wait would pass the total budget, naming the key", async () => {
    const { docstore, sent, waits } = client(
        Array.from({ length: 10 }, () => new TypeError("fetch failed")),
        { retry: { totalBudgetMs: 700, initialDelayMs: 200, maxAttempts: 10 }, random: () => 0.99 });
    const error = await docstore.setActiveVersion({ documentId: DOC.documentId, version: 1 })
        .catch((e) => e);
    assert.ok(error instanceof DocstoreNetworkError);
    assert.equal(error.idempotencyKey, "key-1");
    // Waits of 198 and 396 fit in 700 ms; the next, 792, would not.
    assert.deepEqual(waits, [198, 396]);
    assert.equal(sent.length, 3);
    assert.equal(error.attempts, 3);
  });

  it("an attempt that gets no answer in time is a network failure, retried", async () => {
    let calls = 0;
    const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      if (calls === 1) {
        return new Promise<Response>((_, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        });
      }
      return json(200, { versions: [] });
    }) as typeof fetch;
    const docstore = new DocstoreClient({
      baseUrl: "http://s", fetch: fetchImpl, retry: { attemptTimeoutMs: 20 },
      sleep: async () => {},
    });
    assert.deepEqual(await docstore.listVersions({ documentId: DOC.documentId }), { versions: [] });
    assert.equal(calls, 2);
  });

  it("the caller's abort is not retried", async () => {
    const controller = new AbortController();
    const { docstore, sent } = client([() => {
      controller.abort(new Error("user left"));
      return new TypeError("aborted");
    }]);
    await assert.rejects(
        docstore.getDocument({ documentId: DOC.documentId }, { signal: controller.signal }),
        /user left/);
    assert.equal(sent.length, 1);
  });
});

describe("errors", () => {
  it("a problem becomes a DocstoreError with its members, and the etag on 412", async () => {
    const { docstore } = client([problem(412, "precondition_failed", { etag: '"r7"' })]);
    const error = await docstore.updateDocument({ documentId: DOC.documentId, title: "x" },
        { ifMatch: '"r1"' }).catch((e) => e);
    assert.ok(error instanceof DocstoreError);
    assert.equal(error.status, 412);
    assert.equal(error.code, "precondition_failed");
    assert.equal(error.detail, "precondition_failed detail");
    assert.equal(error.requestId, "req-1");
    assert.equal(error.etag, '"r7"');
    assert.equal(error.operation, "updateDocument");
  });

  it("an error that is not problem+json is unexpected_response", async () => {
    const { docstore } = client([new Response("<html>bad gateway</html>",
        { status: 502, headers: { "Content-Type": "text/html", "X-Request-Id": "r9" } })]);
    const error = await docstore.listDocuments().catch((e) => e);
    assert.ok(error instanceof DocstoreError);
    assert.equal(error.code, "unexpected_response");
    assert.equal(error.requestId, "r9");
    assert.match(error.detail, /bad gateway/);
  });
});

describe("requests", () => {
  it("sends If-Match, the JSON body and the dev credentials", async () => {
    const { docstore, sent } = client([json(200, { document: DOC, version: VERSION })]);
    await docstore.deleteDocumentVersion({ documentId: DOC.documentId, version: 2 },
        { ifMatch: '"r1"' });
    const [request] = sent;
    assert.equal(request?.url, "http://stack.test/deleteDocumentVersion");
    assert.equal(request?.method, "POST");
    assert.equal(request?.headers["If-Match"], '"r1"');
    assert.equal(request?.headers["Content-Type"], "application/json");
    assert.equal(request?.headers["X-Tenant-Id"], "acme");
    assert.equal(request?.headers["X-User-Id"], "alice");
    assert.deepEqual(JSON.parse(request?.body ?? ""), { documentId: DOC.documentId, version: 2 });
  });

  it("asks getToken before every attempt and sends it as a bearer token", async () => {
    let n = 0;
    const { docstore, sent } = client([problem(503, "unavailable"), json(200, { days: [] })],
        { devAuth: undefined, getToken: async () => `token-${++n}` });
    await docstore.getUsage({ from: "2026-01-01", to: "2026-01-02" });
    assert.deepEqual(sent.map((s) => s.headers["Authorization"]),
        ["Bearer token-1", "Bearer token-2"]);
    assert.equal(sent[0]?.url, "http://stack.test/getUsage?from=2026-01-01&to=2026-01-02");
  });

  it("text goes as content, bytes and Blobs as contentBase64 with the Blob's type", async () => {
    const { docstore, sent } = client([
      json(201, { document: DOC, version: VERSION }),
      json(201, { document: DOC, version: VERSION }),
      json(201, { document: DOC, version: VERSION }),
    ]);
    await docstore.createDocument({ title: "t", content: "héllo" });
    await docstore.createDocumentVersion({ documentId: DOC.documentId,
      content: new Uint8Array([0, 255, 1]), contentType: "application/octet-stream",
      activate: false });
    await docstore.createDocumentVersion({ documentId: DOC.documentId,
      content: new Blob(["<svg/>"], { type: "image/svg+xml" }) });
    assert.deepEqual(sent.map((s) => JSON.parse(s.body ?? "")), [
      { title: "t", content: "héllo" },
      { documentId: DOC.documentId, activate: false, contentBase64: "AP8B",
        contentType: "application/octet-stream" },
      { documentId: DOC.documentId, contentBase64: "PHN2Zy8+", contentType: "image/svg+xml" },
    ]);
  });

  it("content comes back as bytes with its type and etag, whatever the type", async () => {
    const { docstore, sent } = client([new Response(new Uint8Array([123, 0, 200]), {
      status: 206, headers: { "Content-Type": "application/json", ETag: '"abc"' } })]);
    const content = await docstore.getVersionContent({ documentId: DOC.documentId, version: 1 },
        { range: "bytes=0-2" });
    assert.deepEqual([...content.data], [123, 0, 200]);
    assert.equal(content.contentType, "application/json");
    assert.equal(content.etag, '"abc"');
    assert.equal(content.status, 206);
    assert.equal(sent[0]?.headers["Range"], "bytes=0-2");
  });

  it("each function's own URL from functionUrls, else the base URL", async () => {
    const fake = fakeFetch([json(200, { documents: [] }), json(200, { published: 0, failed: 0,
      unmarked: 0 })]);
    const docstore = new DocstoreClient({
      functionUrls: { listDocuments: "https://list-abc.a.run.app" },
      baseUrl: "http://fallback",
      fetch: fake.fetch,
    });
    await docstore.listDocuments();
    await docstore.publishOutbox();
    assert.deepEqual(fake.sent.map((s) => s.url),
        ["https://list-abc.a.run.app", "http://fallback/publishOutbox"]);
    const onlyMap = new DocstoreClient({ functionUrls: {}, fetch: fake.fetch });
    await assert.rejects(onlyMap.listDocuments(), /no URL for listDocuments/);
  });
});

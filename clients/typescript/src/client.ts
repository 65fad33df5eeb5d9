import { contentFields, type ContentInput } from "./content.js";
import { DocstoreError, DocstoreNetworkError } from "./errors.js";
import type { components } from "./generated/openapi.js";
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
} from "./retry.js";

type Schemas = components["schemas"];
export type Document = Schemas["Document"];
export type Version = Schemas["Version"];
export type DocumentAndVersion = Schemas["DocumentAndVersion"];
export type DocumentOnly = Schemas["DocumentOnly"];
export type DocumentWithVersions = Schemas["DocumentWithVersions"];
export type VersionPage = Schemas["VersionPage"];
export type DocumentPage = Schemas["DocumentPage"];
export type Usage = Schemas["Usage"];
export type PublishOutboxResult = Schemas["PublishOutboxResult"];
export type PurgeTrashResult = Schemas["PurgeTrashResult"];

/** Every HTTP function docstore serves, each at its own URL. */
export const FUNCTION_NAMES = [
  "createDocument",
  "createDocumentVersion",
  "setActiveVersion",
  "deleteDocumentVersion",
  "restoreDocumentVersion",
  "updateDocument",
  "deleteDocument",
  "restoreDocument",
  "getDocument",
  "listVersions",
  "listDocuments",
  "getVersionContent",
  "getUsage",
  "publishOutbox",
  "purgeTrash",
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** A retry the client is about to make, for logs and metrics. */
export interface RetryEvent {
  operation: FunctionName;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** The HTTP status that asked for the retry, or "network" when there was no answer. */
  reason: 429 | 503 | "network";
  delayMs: number;
  idempotencyKey: string | undefined;
}

export interface DocstoreClientOptions {
  /**
   * One base URL for every function, served at `{baseUrl}/{functionName}`: the local stack
   * (`http://localhost:8080`).
   */
  baseUrl?: string;
  /**
   * Each function's own URL, as deployed (`terraform output function_urls`). Takes precedence
   * over `baseUrl` for the functions it names.
   */
  functionUrls?: Partial<Record<FunctionName, string>>;
  /**
   * The bearer token, asked for before every attempt (so a refreshed one is used on retries):
   * Firebase's `() => auth.currentUser.getIdToken()`. Nothing is sent when it gives none.
   */
  getToken?: () => Promise<string | null | undefined> | string | null | undefined;
  /** Dev auth of the local stack: `X-Tenant-Id` and `X-User-Id` instead of a token. */
  devAuth?: { tenantId: string; userId?: string };
  retry?: Partial<RetryPolicy>;
  /** Makes each write's key; `crypto.randomUUID` by default. */
  newIdempotencyKey?: () => string;
  onRetry?: (event: RetryEvent) => void;
  fetch?: typeof fetch;
  /** For tests: the waits, the jitter's randomness and the clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface WriteOptions extends CallOptions {
  /**
   * The key of this user action. One is generated per call when absent; pass one to resume an
   * action begun earlier (after a reload, or a {@link DocstoreNetworkError}).
   */
  idempotencyKey?: string;
  /** The document's etag this write expects (`document.etag`), or `*`: else 412. */
  ifMatch?: string;
}

export interface ContentRequest {
  content: ContentInput;
  /** Default `text/plain; charset=utf-8`, or a Blob's own type. */
  contentType?: string;
}

export interface VersionRef {
  documentId: string;
  version: number;
}

export interface VersionContent {
  data: Uint8Array<ArrayBuffer>;
  contentType: string;
  /** The content's sha256 as a quoted tag. */
  etag: string | undefined;
  /** 200, or 206 for a range. */
  status: number;
}

interface Call {
  method: "GET" | "POST";
  query?: Record<string, string | number | undefined>;
  body?: object;
  headers?: Record<string, string | undefined>;
  /** Writes take a key: the call's own, or the one given. */
  keyed?: WriteOptions;
  signal?: AbortSignal | undefined;
  ok: readonly number[];
}

interface Answer {
  status: number;
  headers: Headers;
  bytes: Uint8Array<ArrayBuffer>;
}

type Attempt = { answer: Answer } | { failure: unknown };

/** The attempt took longer than `attemptTimeoutMs` or than what was left of the budget. */
class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "AttemptTimeout";
  }
}

/**
 * A docstore client: one method per HTTP function. Writes are exactly-once across retries: each
 * call has one `Idempotency-Key`, sent on every attempt, so a retry after a lost answer replays
 * the first answer instead of writing twice.
 */
export class DocstoreClient {
  private readonly options: DocstoreClientOptions;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly newKey: () => string;

  constructor(options: DocstoreClientOptions) {
    if (!options.baseUrl && !options.functionUrls) {
      throw new TypeError("give baseUrl (the local stack) or functionUrls (a deployment)");
    }
    this.options = options;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    // Bound to globalThis: browsers refuse a fetch called as a method of another object.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.newKey = options.newIdempotencyKey ?? (() => globalThis.crypto.randomUUID());
  }

  async createDocument(request: { title: string } & ContentRequest, options: WriteOptions = {}):
      Promise<DocumentAndVersion> {
    const { content, contentType, ...rest } = request;
    const body = { ...rest, ...(await contentFields(content, contentType)) };
    return this.json("createDocument", { method: "POST", body, keyed: options, ok: [201] });
  }

  /**
   * A new version; `activate` (default true) makes it the active one. Without a key the server
   * may answer 200 with the latest version when it would change nothing; this client always
   * sends a key, so every call makes a version.
   */
  async createDocumentVersion(
      request: { documentId: string; activate?: boolean } & ContentRequest,
      options: WriteOptions = {}): Promise<DocumentAndVersion> {
    const { content, contentType, ...rest } = request;
    const body = { ...rest, ...(await contentFields(content, contentType)) };
    return this.json("createDocumentVersion",
        { method: "POST", body, keyed: options, ok: [200, 201] });
  }

  setActiveVersion(request: VersionRef, options: WriteOptions = {}): Promise<DocumentOnly> {
    return this.write("setActiveVersion", request, options);
  }

  deleteDocumentVersion(request: VersionRef, options: WriteOptions = {}):
      Promise<DocumentAndVersion> {
    return this.write("deleteDocumentVersion", request, options);
  }

  restoreDocumentVersion(request: VersionRef, options: WriteOptions = {}):
      Promise<DocumentAndVersion> {
    return this.write("restoreDocumentVersion", request, options);
  }

  updateDocument(request: { documentId: string; title: string }, options: WriteOptions = {}):
      Promise<DocumentOnly> {
    return this.write("updateDocument", request, options);
  }

  /** Moves the document to the trash (read-only; purged after the retention). */
  deleteDocument(request: { documentId: string }, options: WriteOptions = {}):
      Promise<DocumentOnly> {
    return this.write("deleteDocument", request, options);
  }

  restoreDocument(request: { documentId: string }, options: WriteOptions = {}):
      Promise<DocumentOnly> {
    return this.write("restoreDocument", request, options);
  }

  getDocument(request: { documentId: string }, options: CallOptions = {}):
      Promise<DocumentWithVersions> {
    return this.read("getDocument", request, options);
  }

  listVersions(request: { documentId: string; pageSize?: number; pageToken?: string },
      options: CallOptions = {}): Promise<VersionPage> {
    return this.read("listVersions", request, options);
  }

  listDocuments(request: { pageSize?: number; pageToken?: string; state?: "LIVE" | "TRASHED" } = {},
      options: CallOptions = {}): Promise<DocumentPage> {
    return this.read("listDocuments", request, options);
  }

  /** Writes counted per UTC day (`YYYY-MM-DD`, both included) and operation. */
  getUsage(request: { from: string; to: string }, options: CallOptions = {}): Promise<Usage> {
    return this.read("getUsage", request, options);
  }

  /** The stored bytes, whatever their type; `range` (`bytes=0-99`) may answer 206. */
  async getVersionContent(request: VersionRef, options: CallOptions & { range?: string } = {}):
      Promise<VersionContent> {
    const answer = await this.send("getVersionContent", {
      method: "GET",
      query: { documentId: request.documentId, version: request.version },
      headers: { Range: options.range },
      signal: options.signal,
      ok: [200, 206],
    });
    return {
      data: answer.bytes,
      contentType: answer.headers.get("Content-Type") ?? "application/octet-stream",
      etag: answer.headers.get("ETag") ?? undefined,
      status: answer.status,
    };
  }

  /** The outbox relay, run by Cloud Scheduler in production; takes no credentials. */
  publishOutbox(options: CallOptions = {}): Promise<PublishOutboxResult> {
    return this.json("publishOutbox", { method: "POST", signal: options.signal, ok: [200] });
  }

  /** The trash purge, run by Cloud Scheduler in production; takes no credentials. */
  purgeTrash(options: CallOptions = {}): Promise<PurgeTrashResult> {
    return this.json("purgeTrash", { method: "POST", signal: options.signal, ok: [200] });
  }

  private write<T>(operation: FunctionName, body: object, options: WriteOptions): Promise<T> {
    return this.json(operation, { method: "POST", body, keyed: options, ok: [200] });
  }

  private read<T>(operation: FunctionName, query: object, options: CallOptions): Promise<T> {
    return this.json(operation, {
      method: "GET",
      query: query as Record<string, string | number | undefined>,
      signal: options.signal,
      ok: [200],
    });
  }

  private async json<T>(operation: FunctionName, call: Call): Promise<T> {
    const answer = await this.send(operation, { ...call, signal: call.signal ?? call.keyed?.signal });
    return JSON.parse(new TextDecoder().decode(answer.bytes)) as T;
  }

  /**
   * Sends the call until it has an answer that is no reason to retry, within the policy. The
   * key and the body are fixed before the first attempt; only the token is asked for again.
   */
  private async send(operation: FunctionName, call: Call): Promise<Answer> {
    const url = this.url(operation, call.query);
    const key = call.keyed ? call.keyed.idempotencyKey ?? this.newKey() : undefined;
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const fixed: Record<string, string> = {};
    if (body !== undefined) fixed["Content-Type"] = "application/json";
    if (key !== undefined) fixed["Idempotency-Key"] = key;
    if (call.keyed?.ifMatch !== undefined) fixed["If-Match"] = call.keyed.ifMatch;
    for (const [name, value] of Object.entries(call.headers ?? {})) {
      if (value !== undefined) fixed[name] = value;
    }
    const deadline = this.now() + this.policy.totalBudgetMs;
    for (let attempt = 1; ; attempt++) {
      const headers = { ...fixed, ...(await this.credentials()) };
      const outcome = await this.attempt(url, { method: call.method, headers, body }, deadline,
          call.signal);
      if ("answer" in outcome && !isRetryableStatus(outcome.answer.status)) {
        const { answer } = outcome;
        if (call.ok.includes(answer.status)) {
          return answer;
        }
        throw DocstoreError.fromAnswer(operation, answer.status, answer.headers,
            new TextDecoder().decode(answer.bytes));
      }
      const retryAfter = "answer" in outcome
        ? parseRetryAfter(outcome.answer.headers.get("Retry-After"), this.now())
        : undefined;
      const delayMs = backoffMs(this.policy, attempt, retryAfter, this.random);
      if (attempt >= this.policy.maxAttempts || this.now() + delayMs >= deadline) {
        if ("answer" in outcome) {
          const { answer } = outcome;
          throw DocstoreError.fromAnswer(operation, answer.status, answer.headers,
              new TextDecoder().decode(answer.bytes));
        }
        throw new DocstoreNetworkError(operation, attempt, key, outcome.failure);
      }
      this.options.onRetry?.({
        operation,
        attempt,
        reason: "answer" in outcome ? (outcome.answer.status as 429 | 503) : "network",
        delayMs,
        idempotencyKey: key,
      });
      await this.sleep(delayMs, call.signal);
    }
  }

  /**
   * One attempt, its body read in full under the attempt's timeout: a connection that breaks or
   * stalls mid-answer is a failure like one refused. The caller's abort is thrown, not retried.
   */
  private async attempt(url: string, init: RequestInit, deadline: number,
      signal: AbortSignal | undefined): Promise<Attempt> {
    signal?.throwIfAborted();
    const timeoutMs = Math.max(0, Math.min(this.policy.attemptTimeoutMs, deadline - this.now()));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new AttemptTimeout(timeoutMs)), timeoutMs);
    const forward = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", forward, { once: true });
    try {
      const response = await this.fetchImpl(url, { ...init, signal: controller.signal });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { answer: { status: response.status, headers: response.headers, bytes } };
    } catch (failure) {
      signal?.throwIfAborted();
      return { failure };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", forward);
    }
  }

  private async credentials(): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    const token = await this.options.getToken?.();
    if (token) headers["Authorization"] = `Bearer ${token}`;
    const dev = this.options.devAuth;
    if (dev) {
      headers["X-Tenant-Id"] = dev.tenantId;
      if (dev.userId !== undefined) headers["X-User-Id"] = dev.userId;
    }
    return headers;
  }

  private url(operation: FunctionName, query: Call["query"]): string {
    const base = this.options.functionUrls?.[operation]
      ?? (this.options.baseUrl ? `${this.options.baseUrl.replace(/\/+$/, "")}/${operation}` : undefined);
    if (base === undefined) {
      throw new TypeError(`no URL for ${operation}: add it to functionUrls or give baseUrl`);
    }
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const search = params.toString();
    return search ? `${base}?${search}` : base;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}

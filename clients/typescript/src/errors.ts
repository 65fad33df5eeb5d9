import type { components } from "./generated/openapi.js";

export type Problem = components["schemas"]["Problem"];
export type ErrorCode = components["schemas"]["ErrorCode"];

/**
 * An answer of docstore that is an error: its problem+json body, typed. `code` is stable and
 * meant for programs; `detail` is written for people; `requestId` finds the request's log lines.
 * On 412 `precondition_failed`, `etag` is the document's current etag, to retry with.
 *
 * An error answer that is not problem+json (a proxy's page, a gateway's 502) has the code
 * `unexpected_response` and the start of its body as `detail`.
 */
export class DocstoreError extends Error {
  readonly status: number;
  readonly code: ErrorCode | "unexpected_response";
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly etag: string | undefined;
  readonly operation: string;
  readonly problem: Problem | undefined;

  constructor(operation: string, status: number, fields: {
    code: ErrorCode | "unexpected_response";
    detail: string;
    requestId?: string | undefined;
    etag?: string | undefined;
    problem?: Problem | undefined;
  }) {
    super(`${operation}: ${status} ${fields.code}: ${fields.detail}`
      + (fields.requestId ? ` (request ${fields.requestId})` : ""));
    this.name = "DocstoreError";
    this.operation = operation;
    this.status = status;
    this.code = fields.code;
    this.detail = fields.detail;
    this.requestId = fields.requestId;
    this.etag = fields.etag;
    this.problem = fields.problem;
  }

  /** The error an answer with this status, headers and body text stands for. */
  static fromAnswer(operation: string, status: number, headers: Headers, text: string):
      DocstoreError {
    const requestId = headers.get("X-Request-Id") ?? undefined;
    const type = headers.get("Content-Type") ?? "";
    if (/^application\/(problem\+)?json/i.test(type)) {
      try {
        const problem = JSON.parse(text) as Problem;
        if (problem && typeof problem.code === "string") {
          return new DocstoreError(operation, status, {
            code: problem.code,
            detail: problem.detail ?? "",
            requestId: problem.requestId ?? requestId,
            etag: problem.etag,
            problem,
          });
        }
      } catch {
        // Not JSON after all: reported as an unexpected answer below.
      }
    }
    return new DocstoreError(operation, status, {
      code: "unexpected_response",
      detail: text.slice(0, 200) || `HTTP ${status}`,
      requestId,
    });
  }
}

/**
 * No answer was had within the retry policy: every attempt failed on the network (or the last
 * retryable answer was not an HTTP error). A write that ends here may or may not have taken
 * effect: repeat it with the same `idempotencyKey` (`error.idempotencyKey`) to find out, never
 * with a new one.
 */
export class DocstoreNetworkError extends Error {
  readonly operation: string;
  readonly attempts: number;
  readonly idempotencyKey: string | undefined;

  constructor(operation: string, attempts: number, idempotencyKey: string | undefined,
      cause: unknown) {
    super(`${operation}: no answer after ${attempts} attempt(s): ${describe(cause)}`, { cause });
    this.name = "DocstoreNetworkError";
    this.operation = operation;
    this.attempts = attempts;
    this.idempotencyKey = idempotencyKey;
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}

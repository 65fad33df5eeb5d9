/**
 * When and how long to wait before another attempt. Only answers that say "try again" are
 * retried: 503 `unavailable` and 429, plus failures with no answer at all (a reset connection, a
 * refused one, an attempt that timed out). Every other 4xx is the caller's to fix, and 5xx other
 * than 503 is a bug that a retry would not mend.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 6. */
  maxAttempts: number;
  /** Upper bound of the first backoff. Default 100 ms. */
  initialDelayMs: number;
  /** Upper bound of any backoff, and of a `Retry-After` honoured. Default 5 s. */
  maxDelayMs: number;
  /** Bound on one attempt; past it the attempt counts as a network failure. Default 30 s. */
  attemptTimeoutMs: number;
  /** Bound on the whole call, every attempt and wait included. Default 60 s. */
  totalBudgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  attemptTimeoutMs: 30_000,
  totalBudgetMs: 60_000,
};

export function isRetryableStatus(status: number): boolean {
  return status === 503 || status === 429;
}

/**
 * The wait before attempt `attempt + 1`: "full jitter" (a uniform draw below a cap that doubles
 * with each attempt, bounded by `maxDelayMs`), so that many clients failing together do not come
 * back together. A `Retry-After` the server sent replaces it, bounded by `maxDelayMs` too.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined,
    random: () => number): number {
  if (retryAfterMs !== undefined) {
    return Math.min(retryAfterMs, policy.maxDelayMs);
  }
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * cap);
}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date; undefined when absent or bad. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

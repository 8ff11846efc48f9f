/**
 * Retries for CRM writes. jsforce retries only idempotent GETs, so POST/PATCH/PUT that met a 503, a 429, a row lock,
 * Salesforce's concurrent-request limit or a dropped connection are retried here, with exponential backoff and jitter
 * so parallel clients do not retry in lockstep, or after the wait the CRM named (Retry-After); a create that lost its
 * connection is not (see OutcomeUnknown). Anything else is thrown at once: it is either per-record (handled by the
 * caller) or a reason to stop.
 */
const TRANSIENT_CODES = new Set(['SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW', 'ERROR_HTTP_503', 'ERROR_HTTP_429']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET']);
/** The connection was never opened, so no request reached the CRM. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED']);

const codeOf = (value: unknown) => {
  const code = (value as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Longest Retry-After honoured as asked: a CRM asking for more gets this, then is asked again. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Salesforce's 403 REQUEST_LIMIT_EXCEEDED has two causes with one code: the daily allocation ("TotalRequests Limit
 * exceeded.": wait a day) and too many long-running requests at once ("ConcurrentPerOrgLongTxn Limit exceeded",
 * "ConcurrentRequests Limit exceeded": gone in seconds). Only the message tells them apart.
 */
export function isConcurrentRequestLimit(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { errorCode?: unknown }).errorCode ?? error.name;
  return code === 'REQUEST_LIMIT_EXCEEDED' && /Concurrent\w* Limit exceeded/i.test(error.message);
}

/** An answer (503, 429, a row lock, the concurrent-request limit) that proves the CRM wrote nothing of the request. */
function isRefusalAnswer(error: Error): boolean {
  const code = (error as { errorCode?: unknown }).errorCode;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  if (isConcurrentRequestLimit(error)) return true;
  if (TRANSIENT_CODES.has(error.name)) return true;
  if (NOT_SENT_CODES.has(codeOf(error) ?? '') || NOT_SENT_CODES.has(codeOf(error.cause) ?? '')) return true;
  return /Service Unavailable/i.test(error.message);
}

/** A dropped connection: the request may or may not have been carried out before it dropped. */
function isNetworkError(error: Error): boolean {
  if (NETWORK_CODES.has(codeOf(error) ?? '') || NETWORK_CODES.has(codeOf(error.cause) ?? '')) return true;
  return /fetch failed|socket hang up/i.test(error.message);
}

export function isTransientError(error: unknown): boolean {
  return error instanceof Error && (isRefusalAnswer(error) || isNetworkError(error));
}

/**
 * A request that is not idempotent (a POST create) lost its connection: the CRM may have written it, so sending it
 * again could duplicate records. The caller decides what its records become instead.
 */
export class OutcomeUnknown extends Error {
  override name = 'OutcomeUnknown';
}

export type RetryDecision = 'retry' | 'give-up' | 'outcome-unknown';

/** Whether another attempt is safe: any transient failure for idempotent work, only a proven refusal otherwise. */
export function retryDecision(error: unknown, idempotent: boolean): RetryDecision {
  if (!(error instanceof Error)) return 'give-up';
  if (isRefusalAnswer(error)) return 'retry';
  if (isNetworkError(error)) return idempotent ? 'retry' : 'outcome-unknown';
  return 'give-up';
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  /** False for requests that create (POST): they are retried only on answers proving nothing was written. */
  idempotent?: boolean;
  onRetry?: (error: unknown, attempt: number) => void;
}

export async function withRetry<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const decision = retryDecision(error, options.idempotent ?? true);
      if (decision === 'outcome-unknown') {
        throw new OutcomeUnknown(`The connection dropped before the answer: ${(error as Error).message}`, {
          cause: error,
        });
      }
      if (attempt + 1 >= attempts || decision === 'give-up') throw error;
      options.onRetry?.(error, attempt);
      await sleep(retryWaitMs(error, attempt, options.baseMs ?? 200));
    }
  }
}

/**
 * How long to wait before the next attempt: what the CRM asked for in Retry-After (carried on the error as
 * `retryAfterMs`), capped, or else exponential backoff. The concurrent-request limit clears only when the org's
 * long-running requests (20 s or more) end, so it backs off five times slower than a 503.
 */
export function retryWaitMs(error: unknown, attempt: number, baseMs = 200): number {
  const asked = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  if (typeof asked === 'number' && Number.isFinite(asked) && asked >= 0) return Math.min(asked, MAX_RETRY_AFTER_MS);
  return backoffMs(attempt, isConcurrentRequestLimit(error) ? baseMs * 5 : baseMs);
}

/** A Retry-After header (seconds, or an HTTP date) in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (header.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export const backoffMs = (attempt: number, baseMs = 200) => Math.round(baseMs * 2 ** attempt * (0.5 + Math.random()));
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

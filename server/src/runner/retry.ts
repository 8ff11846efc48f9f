/**
 * Retries for CRM writes. jsforce retries only idempotent GETs, so POST/PATCH/PUT that met a 503, a 429, a row lock
 * or a dropped connection are retried here, with exponential backoff and jitter so parallel clients do not retry in
 * lockstep. Anything else is thrown at once: it is either per-record (handled by the caller) or a reason to stop.
 */
const TRANSIENT_CODES = new Set(['SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW', 'ERROR_HTTP_503', 'ERROR_HTTP_429']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET']);

export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { errorCode?: unknown }).errorCode;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  if (TRANSIENT_CODES.has(error.name)) return true;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string' && NETWORK_CODES.has(cause.code)) return true;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string' && NETWORK_CODES.has(own)) return true;
  return /fetch failed|socket hang up|Service Unavailable/i.test(error.message);
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  onRetry?: (error: unknown, attempt: number) => void;
}

export async function withRetry<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt + 1 >= attempts || !isTransientError(error)) throw error;
      options.onRetry?.(error, attempt);
      await sleep(backoffMs(attempt, options.baseMs ?? 200));
    }
  }
}

export const backoffMs = (attempt: number, baseMs = 200) => Math.round(baseMs * 2 ** attempt * (0.5 + Math.random()));
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

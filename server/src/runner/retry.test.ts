import { describe, expect, it } from 'vitest';
import {
  isConcurrentRequestLimit,
  MAX_RETRY_AFTER_MS,
  OutcomeUnknown,
  retryAfterMs,
  retryDecision,
  retryWaitMs,
  withRetry,
} from './retry.ts';

const answered = (errorCode: string) => Object.assign(new Error(`Salesforce answered ${errorCode}`), { errorCode });
/** Salesforce's 403 REQUEST_LIMIT_EXCEEDED as jsforce throws it, with the message that names the limit. */
const limited = (message: string) =>
  Object.assign(new Error(message), { errorCode: 'REQUEST_LIMIT_EXCEEDED', name: 'REQUEST_LIMIT_EXCEEDED' });
const dropped = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

describe('retryDecision', () => {
  it('retries answers that prove nothing was written, whether or not the request is idempotent', () => {
    for (const code of ['ERROR_HTTP_503', 'ERROR_HTTP_429', 'SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW']) {
      expect(retryDecision(answered(code), true), code).toBe('retry');
      expect(retryDecision(answered(code), false), code).toBe('retry');
    }
    expect(retryDecision(dropped('ECONNREFUSED'), false)).toBe('retry');
  });

  it('retries a dropped connection only for idempotent requests; a create may have been written', () => {
    for (const error of [dropped('ECONNRESET'), new Error('socket hang up'), new TypeError('fetch failed')]) {
      expect(retryDecision(error, true), error.message).toBe('retry');
      expect(retryDecision(error, false), error.message).toBe('outcome-unknown');
    }
  });

  it('gives up on anything else', () => {
    expect(retryDecision(answered('INVALID_FIELD'), false)).toBe('give-up');
    expect(retryDecision('not an error', true)).toBe('give-up');
  });
});

describe('withRetry', () => {
  it('sends a create once when its connection drops, and again after a 503', async () => {
    let calls = 0;
    const create = () => {
      calls += 1;
      return Promise.reject(dropped('ECONNRESET'));
    };
    await expect(withRetry(create, { idempotent: false, baseMs: 0 })).rejects.toBeInstanceOf(OutcomeUnknown);
    expect(calls).toBe(1);

    calls = 0;
    const refusedOnce = () => (calls++ === 0 ? Promise.reject(answered('ERROR_HTTP_503')) : Promise.resolve('ok'));
    await expect(withRetry(refusedOnce, { idempotent: false, baseMs: 0 })).resolves.toBe('ok');
    expect(calls).toBe(2);

    calls = 0;
    await expect(withRetry(create, { attempts: 3, baseMs: 0 })).rejects.toThrow('fetch failed');
    expect(calls).toBe(3);
  });
});

describe('Salesforce request limits', () => {
  it('retries the concurrent-request limit, even for a create, and gives up on the daily limit', () => {
    for (const message of ['ConcurrentPerOrgLongTxn Limit exceeded', 'ConcurrentRequests Limit exceeded.']) {
      expect(isConcurrentRequestLimit(limited(message)), message).toBe(true);
      expect(retryDecision(limited(message), false), message).toBe('retry');
    }
    const daily = limited('TotalRequests Limit exceeded.');
    expect(isConcurrentRequestLimit(daily)).toBe(false);
    expect(retryDecision(daily, true)).toBe('give-up');
    // The message alone is not the limit: another code with the same words is Salesforce's answer, not a limit.
    const other = Object.assign(new Error('ConcurrentPerOrgLongTxn Limit exceeded'), { errorCode: 'INVALID_FIELD' });
    expect(isConcurrentRequestLimit(other)).toBe(false);
  });

  it('backs off from the concurrent limit slower than from a 503', () => {
    const concurrent = limited('ConcurrentPerOrgLongTxn Limit exceeded');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      // Jitter spans 0.5x..1.5x, so the slowest 503 wait stays below the quickest concurrent-limit wait.
      expect(retryWaitMs(concurrent, attempt, 200)).toBeGreaterThanOrEqual(500 * 2 ** attempt);
      expect(retryWaitMs(answered('ERROR_HTTP_503'), attempt, 200)).toBeLessThanOrEqual(300 * 2 ** attempt);
    }
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    expect(retryAfterMs('1')).toBe(1_000);
    expect(retryAfterMs('0')).toBe(0);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('')).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    const inAMinute = retryAfterMs(new Date(Date.now() + 60_000).toUTCString()) ?? -1;
    expect(inAMinute).toBeGreaterThan(55_000);
    expect(inAMinute).toBeLessThanOrEqual(60_000);
    expect(retryAfterMs(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
  });

  it('waits what the CRM asked, capped, and backs off when it asked nothing', () => {
    const throttled = (ms: number | undefined) => Object.assign(answered('ERROR_HTTP_429'), { retryAfterMs: ms });
    expect(retryWaitMs(throttled(1_000), 0)).toBe(1_000);
    expect(retryWaitMs(throttled(1_000), 4)).toBe(1_000);
    expect(retryWaitMs(throttled(3_600_000), 0)).toBe(MAX_RETRY_AFTER_MS);
    const backoff = retryWaitMs(throttled(undefined), 2, 200);
    expect(backoff).toBeGreaterThanOrEqual(400);
    expect(backoff).toBeLessThanOrEqual(1_200);
  });

  it('withRetry sleeps the Retry-After before the next attempt', async () => {
    const sent: number[] = [];
    const work = () => {
      sent.push(performance.now());
      return sent.length === 1
        ? Promise.reject(Object.assign(answered('ERROR_HTTP_429'), { retryAfterMs: 300 }))
        : Promise.resolve('ok');
    };
    await expect(withRetry(work, { baseMs: 0 })).resolves.toBe('ok');
    expect(sent).toHaveLength(2);
    // A lower bound only: baseMs 0 would have retried at once, so any wait this long is the Retry-After's.
    expect((sent[1] ?? 0) - (sent[0] ?? 0)).toBeGreaterThanOrEqual(295);
  });
});

import { describe, expect, it } from 'vitest';
import { OutcomeUnknown, retryDecision, withRetry } from './retry.ts';

const answered = (errorCode: string) => Object.assign(new Error(`Salesforce answered ${errorCode}`), { errorCode });
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

import { ErrorBody, HealthResponse } from '@orglink/shared';
import { Value } from 'typebox/value';
import type { ServerStatus } from './server-status.ts';

const HEALTH_TIMEOUT_MS = 5000;

/**
 * The typed client of the companion API. Only the background service worker uses it (DESIGN.md section 3): pages
 * and content scripts ask the background by message, so the server address and, later, the token live in one place.
 */
export class OrgLinkClient {
  readonly baseUrl: string;
  readonly #fetch: typeof fetch;

  constructor(baseUrl: string, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)) {
    this.baseUrl = baseUrl;
    this.#fetch = fetchImpl;
  }

  /** Asks the server how it is, and says in plain words why not when it cannot. Never throws. */
  async checkHealth(): Promise<ServerStatus> {
    const url = this.baseUrl;
    let response: Response;
    try {
      response = await this.#fetch(`${url}/api/health`, {
        signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
        headers: { accept: 'application/json' },
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      return {
        state: 'unreachable',
        url,
        problem: timedOut
          ? `No answer from ${url} within ${HEALTH_TIMEOUT_MS / 1000} seconds. Check that the server is running and the address is right.`
          : `Nothing answered at ${url}. Start the server (npm start) or correct the address in Settings.`,
      };
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (Value.Check(HealthResponse, body)) {
      const databaseOk = body.database.status === 'ok';
      return {
        state: 'connected',
        url,
        version: body.version,
        databaseOk,
        ...(databaseOk
          ? {}
          : { problem: `The server cannot use its database: ${body.database.message ?? 'unknown reason'}.` }),
      };
    }
    if (Value.Check(ErrorBody, body)) {
      return { state: 'unreachable', url, problem: `The server at ${url} refused the request: ${body.error.message}` };
    }
    return {
      state: 'unreachable',
      url,
      problem: `${url} answered (HTTP ${response.status}), but it is not an OrgLink server. Check the address in Settings.`,
    };
  }
}

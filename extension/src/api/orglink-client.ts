import {
  type ActivityRequest,
  ActivityRun,
  ActivityUpload,
  AuthorizeResponse,
  ClassicLoginDetails,
  Connection,
  ConnectionList,
  ConnectionLookupResponse,
  ConnectionTestResult,
  type CreateClassicConnectionRequest,
  type CreateConnectionRequest,
  CreateConnectionResponse,
  type CreateDcJobRequest,
  CreateDcJobResponse,
  type CreateIntegrationRequest,
  type CreateScenarioRequest,
  CrmFieldList,
  DcGroupList,
  type DcObject,
  DcPair,
  DcRecordMatches,
  ErrorBody,
  HealthResponse,
  Integration,
  IntegrationList,
  JobList,
  JobRun,
  MappingOptions,
  Me,
  QueryCount,
  type QueryCountRequest,
  type RedeemInviteRequest,
  RedeemInviteResponse,
  ResultRows,
  RunIntegrationResponse,
  RunList,
  type RunListQuery,
  Scenario,
  ScenarioList,
  type TargetObject,
  type TestClassicLoginRequest,
  TestClassicLoginResponse,
  type UpdateClassicLoginRequest,
  type UpdateConnectionRequest,
  type UpdateIntegrationRequest,
  type UpdateScenarioRequest,
} from '@orglink/shared';
import { type Static, type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import { type ApiResult, ClientErrorCode, failed, notSignedIn, succeeded } from './api-result.ts';
import type { ServerStatus } from './server-status.ts';

const HEALTH_TIMEOUT_MS = 5000;
const REQUEST_TIMEOUT_MS = 15_000;
/** Testing a connection waits on the CRM, which may be slow to answer. */
const CRM_CALL_TIMEOUT_MS = 45_000;
/** An upload or download of up to 150 MB of CSV over loopback or a LAN. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000;

/**
 * The contract names no wrapper for the single-connection answers (GET/PATCH /api/connections/:id, pause, activate,
 * confirm-org-change), so both a bare Connection and `{ connection }` are accepted and unwrapped.
 */
const SingleConnection = Type.Union([Connection, Type.Object({ connection: Connection })]);

const SingleRun = Type.Union([JobRun, Type.Object({ run: JobRun })]);

/** Nor for the single-integration answers (POST, PATCH): both a bare Integration and `{ integration }` are read. */
const SingleIntegration = Type.Union([Integration, Type.Object({ integration: Integration })]);

/** For calls whose answer carries nothing to read (204, or a body the extension has no use for). */
const NoContent = Type.Unknown();

interface CallOptions<S extends TSchema> {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Sent as JSON, except a Blob (an activity's CSV), which goes as it is, as text/csv. */
  body?: unknown;
  answer: S;
  /** Public routes (redeeming an invite) go without a token; every other route needs one. */
  public?: boolean;
  timeoutMs?: number;
}

export interface OrgLinkClientOptions {
  /** The API token from redeeming an invite; only the background ever holds it. */
  token?: string | undefined;
  fetch?: typeof fetch;
}

/**
 * The typed client of the companion API. Only the background service worker uses it (DESIGN.md section 3): pages
 * and content scripts ask the background by message, so the server address and the token live in one place.
 * Every call answers an ApiResult and never throws, so each failure reaches the page in the API's error shape.
 */
export class OrgLinkClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(baseUrl: string, options: OrgLinkClientOptions = {}) {
    this.baseUrl = baseUrl;
    this.#token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
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
      return { state: 'unreachable', url, problem: unreachableMessage(url, error, HEALTH_TIMEOUT_MS) };
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

  redeemInvite(request: RedeemInviteRequest) {
    return this.#call('/api/auth/redeem', {
      method: 'POST',
      body: request,
      answer: RedeemInviteResponse,
      public: true,
    });
  }

  getMe() {
    return this.#call('/api/me', { answer: Me });
  }

  signOut() {
    return this.#call('/api/auth/signout', { method: 'POST', answer: NoContent });
  }

  listConnections() {
    return this.#call('/api/connections', { answer: ConnectionList });
  }

  async getConnection(id: string) {
    return unwrap(await this.#call(connectionPath(id), { answer: SingleConnection }));
  }

  createConnection(request: CreateConnectionRequest) {
    return this.#call('/api/connections', { method: 'POST', body: request, answer: CreateConnectionResponse });
  }

  async updateConnection(id: string, patch: UpdateConnectionRequest) {
    return unwrap(await this.#call(connectionPath(id), { method: 'PATCH', body: patch, answer: SingleConnection }));
  }

  deleteConnection(id: string) {
    return this.#call(connectionPath(id), { method: 'DELETE', answer: NoContent });
  }

  async pauseConnection(id: string) {
    return unwrap(await this.#call(`${connectionPath(id)}/pause`, { method: 'POST', answer: SingleConnection }));
  }

  async activateConnection(id: string) {
    return unwrap(await this.#call(`${connectionPath(id)}/activate`, { method: 'POST', answer: SingleConnection }));
  }

  /** The connection's own sign-in with the CRM: an identity (Salesforce) or WhoAmI (Dynamics) call. */
  testConnection(id: string) {
    return this.#call(`${connectionPath(id)}/test`, {
      method: 'POST',
      answer: ConnectionTestResult,
      timeoutMs: CRM_CALL_TIMEOUT_MS,
    });
  }

  /** A password or client-credentials connection: the server logs in first and answers with it, active. */
  createClassicConnection(request: CreateClassicConnectionRequest) {
    return this.#call('/api/connections/classic', {
      method: 'POST',
      body: request,
      answer: Connection,
      timeoutMs: CRM_CALL_TIMEOUT_MS,
    });
  }

  /** The classic form's Test: the server tries the login and stores nothing. */
  testClassicLogin(request: TestClassicLoginRequest) {
    return this.#call('/api/connections/classic/test', {
      method: 'POST',
      body: request,
      answer: TestClassicLoginResponse,
      timeoutMs: CRM_CALL_TIMEOUT_MS,
    });
  }

  getClassicLogin(id: string) {
    return this.#call(`${connectionPath(id)}/classic`, { answer: ClassicLoginDetails });
  }

  updateClassicLogin(id: string, patch: UpdateClassicLoginRequest) {
    return this.#call(`${connectionPath(id)}/classic`, {
      method: 'PATCH',
      body: patch,
      answer: Connection,
      timeoutMs: CRM_CALL_TIMEOUT_MS,
    });
  }

  /** A fresh login URL for the CRM sign-in: the first one after creating, or re-authorizing later. */
  authorizeConnection(id: string) {
    return this.#call(`${connectionPath(id)}/authorize`, { method: 'POST', answer: AuthorizeResponse });
  }

  /** Points a refreshed sandbox's connection at its new Org ID, once the admin has confirmed it. */
  async confirmOrgChange(id: string) {
    return unwrap(
      await this.#call(`${connectionPath(id)}/confirm-org-change`, { method: 'POST', answer: SingleConnection }),
    );
  }

  /** The caller's connection to the org a CRM page belongs to (for the in-page badge). */
  lookupConnection(orgId: string) {
    return this.#call(`/api/connections/lookup?orgId=${encodeURIComponent(orgId)}`, {
      answer: ConnectionLookupResponse,
    });
  }

  listJobs(connectionId: string) {
    return this.#call(`/api/jobs?connection=${encodeURIComponent(connectionId)}`, { answer: JobList });
  }

  /** Job history across the team's connections, newest first; filters and the cursor as GET /api/runs takes them. */
  listRuns(query: RunListQuery = {}) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const search = params.toString();
    return this.#call(`/api/runs${search ? `?${search}` : ''}`, { answer: RunList });
  }

  /** The contract names no wrapper for GET /api/runs/:id, so both a bare run and `{ run }` are accepted. */
  async getRun(id: string): Promise<ApiResult<JobRun>> {
    const result = await this.#call(`/api/runs/${encodeURIComponent(id)}`, { answer: SingleRun });
    if (!result.ok) return result;
    return succeeded('run' in result.data ? result.data.run : result.data);
  }

  listIntegrations() {
    return this.#call('/api/integrations', { answer: IntegrationList });
  }

  /** Run Write Job now. */
  runIntegration(id: string) {
    return this.#call(`/api/integrations/${encodeURIComponent(id)}/run`, {
      method: 'POST',
      answer: RunIntegrationResponse,
    });
  }

  async createIntegration(request: CreateIntegrationRequest) {
    return unwrapIntegration(
      await this.#call('/api/integrations', { method: 'POST', body: request, answer: SingleIntegration }),
    );
  }

  async updateIntegration(id: string, patch: UpdateIntegrationRequest) {
    return unwrapIntegration(
      await this.#call(integrationPath(id), { method: 'PATCH', body: patch, answer: SingleIntegration }),
    );
  }

  /** Unlink: the server keeps the integration and its history, marked not linked. */
  deleteIntegration(id: string) {
    return this.#call(integrationPath(id), { method: 'DELETE', answer: NoContent });
  }

  /** The target's writable CRM fields (describe) and the Catalog fields, for the mapping editor. */
  getMappingOptions(id: string, target: TargetObject) {
    return this.#call(`${integrationPath(id)}/mapping-options?target=${encodeURIComponent(target)}`, {
      answer: MappingOptions,
      timeoutMs: CRM_CALL_TIMEOUT_MS,
    });
  }

  // Connector activities (background/activity-handlers.ts).

  /** Describe of one object: its fields for the query builder and the column mapping. 404 when there is no object. */
  getObjectFields(connectionId: string, object: string) {
    return this.#call(`/api/crm/${encodeURIComponent(connectionId)}/objects/${encodeURIComponent(object)}/fields`, {
      answer: CrmFieldList,
      timeoutMs: CRM_CALL_TIMEOUT_MS,
    });
  }

  /** Runs one of the 11 activities; the server checks it against the org first (SOQL, describe) and queues it. */
  startActivity(connectionId: string, request: ActivityRequest) {
    return this.#call(`${connectionPath(connectionId)}/activities`, {
      method: 'POST',
      body: request,
      answer: ActivityRun,
      timeoutMs: CRM_CALL_TIMEOUT_MS,
    });
  }

  /** How many records a query would return (SELECT COUNT()), before running it. */
  countActivityQuery(connectionId: string, request: QueryCountRequest) {
    return this.#call(`${connectionPath(connectionId)}/activities/count`, {
      method: 'POST',
      body: request,
      answer: QueryCount,
      timeoutMs: CRM_CALL_TIMEOUT_MS,
    });
  }

  /** A page of a query run's results, for the results table. */
  getRunRows(runId: string, from: number, count: number) {
    return this.#call(`/api/runs/${encodeURIComponent(runId)}/rows?from=${from}&count=${count}`, {
      answer: ResultRows,
    });
  }

  /** Sends an activity's input CSV as the request body (text/csv): the server stores it and answers its columns. */
  uploadActivityCsv(connectionId: string, file: Blob) {
    return this.#call(`${connectionPath(connectionId)}/activities/uploads`, {
      method: 'POST',
      body: file,
      answer: ActivityUpload,
      timeoutMs: UPLOAD_TIMEOUT_MS,
    });
  }

  /** A run's results.csv or errors.csv as text (the server neutralises formula cells). */
  async getRunCsv(runId: string, file: 'results' | 'errors'): Promise<ApiResult<string>> {
    if (!this.#token) return notSignedIn();
    const path = `/api/runs/${encodeURIComponent(runId)}/${file}.csv`;
    let response: Response;
    try {
      response = await this.#fetch(`${this.baseUrl}${path}`, {
        headers: { accept: 'text/csv', authorization: `Bearer ${this.#token}` },
        signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
      });
    } catch (error) {
      return failed(
        0,
        ClientErrorCode.ServerUnreachable,
        await this.#explainNetworkFailure('GET', path, error, UPLOAD_TIMEOUT_MS),
      );
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return succeeded(text);
    const body = safeJson(text);
    if (Value.Check(ErrorBody, body)) return { ok: false, status: response.status, error: body.error };
    return failed(
      response.status,
      ClientErrorCode.UnexpectedResponse,
      `The server answered GET ${path} with HTTP ${response.status} and no explanation. Check that ${this.baseUrl} is your OrgLink server.`,
    );
  }

  // Duplicate Check (background/dc-handlers.ts).

  /** The scenarios for one object (built-in ones first as the server orders them), or all of them. */
  listDcScenarios(object?: DcObject) {
    const search = object ? `?object=${encodeURIComponent(object)}` : '';
    return this.#call(`/api/dc/scenarios${search}`, { answer: ScenarioList });
  }

  createDcScenario(request: CreateScenarioRequest) {
    return this.#call('/api/dc/scenarios', { method: 'POST', body: request, answer: Scenario });
  }

  updateDcScenario(id: string, patch: UpdateScenarioRequest) {
    return this.#call(scenarioPath(id), { method: 'PATCH', body: patch, answer: Scenario });
  }

  deleteDcScenario(id: string) {
    return this.#call(scenarioPath(id), { method: 'DELETE', answer: NoContent });
  }

  /** Without a schedule the job runs now and its queued run comes back; with one, the run is null. */
  createDcJob(request: CreateDcJobRequest) {
    return this.#call('/api/dc/jobs', { method: 'POST', body: request, answer: CreateDcJobResponse });
  }

  /** Runs a defined job now (a scheduled Duplicate Check, for example). */
  async runJob(jobId: string): Promise<ApiResult<JobRun>> {
    const result = await this.#call(`/api/jobs/${encodeURIComponent(jobId)}/run`, {
      method: 'POST',
      answer: SingleRun,
    });
    return unwrapRun(result);
  }

  /** Starts a run held because its connection does not auto-run Duplicate Check jobs. */
  async startRun(runId: string): Promise<ApiResult<JobRun>> {
    const result = await this.#call(`/api/runs/${encodeURIComponent(runId)}/start`, {
      method: 'POST',
      answer: SingleRun,
    });
    return unwrapRun(result);
  }

  /** A page of a Duplicate Check run's groups, highest score first. */
  getDcGroups(runId: string, cursor?: string, limit?: number) {
    const params = new URLSearchParams();
    if (cursor !== undefined) params.set('cursor', cursor);
    if (limit !== undefined) params.set('limit', String(limit));
    const search = params.toString();
    return this.#call(`/api/dc/runs/${encodeURIComponent(runId)}/groups${search ? `?${search}` : ''}`, {
      answer: DcGroupList,
    });
  }

  /** "Not a duplicate": the pair stays out of this run's groups and of every later run. */
  dismissDcPair(pairId: string) {
    return this.#call(`/api/dc/pairs/${encodeURIComponent(pairId)}/dismiss`, { method: 'POST', answer: DcPair });
  }

  /** Undoes a dismissal. */
  restoreDcPair(pairId: string) {
    return this.#call(`/api/dc/pairs/${encodeURIComponent(pairId)}/restore`, { method: 'POST', answer: DcPair });
  }

  /** A record's open matches from the latest finished Duplicate Check of the connection (for the in-page badge). */
  getDcRecordMatches(recordId: string, connectionId: string) {
    return this.#call(
      `/api/dc/records/${encodeURIComponent(recordId)}/matches?connection=${encodeURIComponent(connectionId)}`,
      { answer: DcRecordMatches },
    );
  }

  async #call<S extends TSchema>(path: string, options: CallOptions<S>): Promise<ApiResult<Static<S>>> {
    if (!options.public && !this.#token) return notSignedIn();
    const url = `${this.baseUrl}${path}`;
    const method = options.method ?? 'GET';
    const headers: Record<string, string> = { accept: 'application/json' };
    const { body: sent } = options;
    const payload = sent === undefined || sent instanceof Blob ? sent : JSON.stringify(sent);
    if (payload !== undefined) headers['content-type'] = payload instanceof Blob ? 'text/csv' : 'application/json';
    if (!options.public && this.#token) headers.authorization = `Bearer ${this.#token}`;
    const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
        ...(payload === undefined ? {} : { body: payload }),
      });
    } catch (error) {
      return failed(
        0,
        ClientErrorCode.ServerUnreachable,
        await this.#explainNetworkFailure(method, path, error, timeoutMs),
      );
    }
    const text = await response.text().catch(() => '');
    const body: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      if (Value.Check(ErrorBody, body)) return { ok: false, status: response.status, error: body.error };
      return failed(
        response.status,
        ClientErrorCode.UnexpectedResponse,
        `The server answered ${method} ${path} with HTTP ${response.status} and no explanation. Check that ${this.baseUrl} is your OrgLink server.`,
      );
    }
    if ((options.answer as TSchema) === NoContent) return succeeded(body as Static<S>);
    if (Value.Check(options.answer, body)) return succeeded(body);
    const firstProblem = [...Value.Errors(options.answer, body)][0];
    return failed(
      response.status,
      ClientErrorCode.UnexpectedResponse,
      `The server's answer to ${method} ${path} is not what this extension expects: the extension and the server may be different versions. Update both.`,
      firstProblem ? { path: firstProblem.instancePath, message: firstProblem.message } : undefined,
    );
  }

  /**
   * A browser hides why a request failed (refused connection and CORS refusal look the same), so the health route is
   * asked: if it answers, the server runs but refused this one request, and "start the server" would mislead.
   */
  async #explainNetworkFailure(method: string, path: string, error: unknown, timeoutMs: number): Promise<string> {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    if (!timedOut) {
      const healthy = await this.#fetch(`${this.baseUrl}/api/health`, {
        signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      })
        .then((response) => response.ok)
        .catch(() => false);
      if (healthy) {
        return `The server at ${this.baseUrl} is running but did not accept ${method} ${path} from the extension. The server may be older than the extension: update it, then try again.`;
      }
    }
    return unreachableMessage(this.baseUrl, error, timeoutMs);
  }
}

function connectionPath(id: string) {
  return `/api/connections/${encodeURIComponent(id)}`;
}

function scenarioPath(id: string) {
  return `/api/dc/scenarios/${encodeURIComponent(id)}`;
}

function unwrapRun(result: ApiResult<Static<typeof SingleRun>>): ApiResult<JobRun> {
  if (!result.ok) return result;
  return succeeded('run' in result.data ? result.data.run : result.data);
}

function integrationPath(id: string) {
  return `/api/integrations/${encodeURIComponent(id)}`;
}

function unwrapIntegration(result: ApiResult<Static<typeof SingleIntegration>>): ApiResult<Integration> {
  if (!result.ok) return result;
  return succeeded('integration' in result.data ? result.data.integration : result.data);
}

function unwrap(result: ApiResult<Static<typeof SingleConnection>>): ApiResult<Connection> {
  if (!result.ok) return result;
  return succeeded('connection' in result.data ? result.data.connection : result.data);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function unreachableMessage(url: string, error: unknown, timeoutMs: number): string {
  const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
  return timedOut
    ? `No answer from ${url} within ${timeoutMs / 1000} seconds. Check that the server is running and the address is right.`
    : `Nothing answered at ${url}. Start the server (npm start) or correct the address in Settings.`;
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiContext } from '../http/api-gate.ts';
import type { SimContext } from '../http/context.ts';
import { CSV_TYPE, sendJson } from '../http/reply.ts';
import { ApiError } from '../model/errors.ts';
import { executeSoql } from '../rest/soql.ts';
import { schema } from '../schema/registry.ts';
import type { SalesforceState } from '../state.ts';
import { csvLine, DELIMITERS } from './csv.ts';
import { abortJob, finishJob, jobList, jobOptions, type QueryJob, queryJobInfo, startJob } from './jobs.ts';

/**
 * Bulk API 2.0 query jobs: POST /jobs/query, poll, then GET /results pages. Every page carries `Sforce-Locator` (the
 * next locator, or the literal `null` on the last page: gotcha 2) and `Sforce-NumberOfRecords`. Locators are the
 * base64 of the next row offset, as Salesforce's look.
 */

export const DEFAULT_RESULTS_PAGE = 50_000;

function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function decodeLocator(locator: string): number | undefined {
  const text = Buffer.from(locator, 'base64').toString('utf8');
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

async function runQueryJob(state: SalesforceState, job: QueryJob): Promise<void> {
  if (!(await startJob(state, job))) return;
  try {
    job.rows = executeSoql(job.org, job.query, job.operation === 'queryAll').rows;
    finishJob(job, 'JobComplete', state.clock.now());
  } catch (error) {
    job.errorMessage = error instanceof Error ? error.message : String(error);
    finishJob(job, 'Failed', state.clock.now());
  }
}

export function registerBulkQueryRoutes(app: FastifyInstance, context: SimContext, pageSize: number): void {
  const { gate, state } = context;
  const jobs = () => state.bulk;
  const base = '/services/data/:version/jobs/query';

  const findJob = (api: ApiContext, request: FastifyRequest): QueryJob =>
    jobs().find('query', api.org, (request.params as { jobId: string }).jobId);

  app.post(base, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-query');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const operation = body.operation ?? 'query';
    if (operation !== 'query' && operation !== 'queryAll') {
      throw new ApiError(400, 'INVALIDJOB', `Invalid operation: ${String(operation)}. Use query or queryAll.`);
    }
    const text = typeof body.query === 'string' ? body.query : '';
    // Compile now so a bad query is refused at creation, as Salesforce validates it then.
    const checked = executeSoql(api.org, text, false);
    if (checked.isCount) {
      throw new ApiError(400, 'API_ERROR', 'Aggregate queries are not supported by Bulk API 2.0 query jobs.');
    }
    const object = schema.object(checked.objectName);
    if (!object) throw new ApiError(400, 'INVALIDJOB', `Unknown object ${checked.objectName}`);
    const now = state.clock.now();
    const job: QueryJob = {
      kind: 'query',
      id: jobs().nextId(),
      org: api.org,
      createdById: api.session.user.id,
      createdAt: now,
      modifiedAt: now,
      object,
      operation,
      query: text,
      fields: checked.fields,
      rows: [],
      state: 'UploadComplete',
      apiVersion: api.version,
      ...jobOptions(body),
      errorMessage: undefined,
      startedAt: undefined,
      finishedAt: undefined,
    };
    jobs().add(job);
    api.org.bulkQueryJobs.add(now);
    void runQueryJob(state, job);
    return sendJson(reply, 200, queryJobInfo(job, false));
  });

  app.get(base, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-query');
    return sendJson(reply, 200, jobList(jobs(), 'query', api.org));
  });

  app.get(`${base}/:jobId`, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-query');
    return sendJson(reply, 200, queryJobInfo(findJob(api, request), true));
  });

  app.patch(`${base}/:jobId`, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-query');
    const job = findJob(api, request);
    const wanted = ((request.body ?? {}) as { state?: unknown }).state;
    if (wanted !== 'Aborted')
      throw new ApiError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(wanted)}. Use Aborted.`);
    abortJob(job, state.clock.now());
    return sendJson(reply, 200, queryJobInfo(job, false));
  });

  app.delete(`${base}/:jobId`, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-query');
    const job = findJob(api, request);
    if (job.state === 'InProgress' || job.state === 'UploadComplete') {
      throw new ApiError(409, 'INVALIDJOBSTATE', 'A job that is not finished cannot be deleted. Abort it first.');
    }
    jobs().delete(job.id);
    return reply.code(204).send();
  });

  app.get(`${base}/:jobId/results`, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-query');
    const job = findJob(api, request);
    if (job.state !== 'JobComplete') {
      throw new ApiError(
        400,
        'INVALIDJOBSTATE',
        `Results are available once the job is JobComplete; it is ${job.state}.`,
      );
    }
    const query = request.query as Record<string, string | undefined>;
    const offset = query.locator ? decodeLocator(query.locator) : 0;
    if (offset === undefined || offset > job.rows.length) {
      throw new ApiError(400, 'INVALIDLOCATOR', `Invalid locator: ${query.locator}`);
    }
    let size = pageSize;
    if (query.maxRecords !== undefined) {
      size = Number(query.maxRecords);
      if (!Number.isInteger(size) || size < 1) {
        throw new ApiError(400, 'INVALIDMAXRECORDS', `maxRecords must be a positive integer: ${query.maxRecords}`);
      }
    }
    const end = Math.min(job.rows.length, offset + size);
    const delimiter = DELIMITERS[job.columnDelimiter];
    const newline = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
    let text = csvLine(job.fields, delimiter) + newline;
    for (let index = offset; index < end; index += 1) {
      const row = job.rows[index] ?? {};
      text +=
        csvLine(
          job.fields.map((field) => csvValue(row[field])),
          delimiter,
        ) + newline;
    }
    reply.header('Sforce-Locator', end < job.rows.length ? encodeLocator(end) : 'null');
    reply.header('Sforce-NumberOfRecords', String(end - offset));
    return reply.code(200).type(CSV_TYPE).send(text);
  });
}

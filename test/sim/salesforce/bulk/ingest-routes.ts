import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../http/api-gate.ts';
import type { SimContext } from '../http/context.ts';
import { CSV_TYPE, sendJson } from '../http/reply.ts';
import { ApiError } from '../model/errors.ts';
import { schema } from '../schema/registry.ts';
import { csvLine, DELIMITERS, headerCell, parseUpload } from './csv.ts';
import { processIngestJob } from './ingest-process.ts';
import {
  abortJob,
  type IngestJob,
  type IngestOperation,
  ingestCreatedInfo,
  ingestJobInfo,
  ingestStateInfo,
  jobList,
  jobOptions,
} from './jobs.ts';

/**
 * Bulk API 2.0 ingest: create a job, PUT its CSV once, PATCH it to UploadComplete (or Aborted), poll it, then read
 * successfulResults, failedResults and unprocessedrecords. Errors are `[{"errorCode","message"}]`.
 */

const OPERATIONS: IngestOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
function resultsCsv(job: IngestJob, kind: 'successful' | 'failed' | 'unprocessed'): string {
  const delimiter = DELIMITERS[job.columnDelimiter];
  const newline = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
  const original = job.header.map((name) => headerCell(name, delimiter));
  const prefix =
    kind === 'successful' ? ['"sf__Id"', '"sf__Created"'] : kind === 'failed' ? ['"sf__Id"', '"sf__Error"'] : [];
  const lines = [[...prefix, ...original].join(delimiter)];
  job.rows.forEach((row, index) => {
    const result = job.results[index];
    const cells = job.header.map((_, column) => row[column] ?? '');
    if (kind === 'unprocessed') {
      if (!result) lines.push(csvLine(cells, delimiter));
    } else if (kind === 'successful') {
      if (result && !result.error) lines.push(csvLine([result.id, String(result.created), ...cells], delimiter));
    } else if (result?.error) {
      lines.push(csvLine([result.id, result.error, ...cells], delimiter));
    }
  });
  return lines.join(newline) + newline;
}

export function registerIngestRoutes(app: FastifyInstance, context: SimContext): void {
  const { gate, state } = context;
  const jobs = () => state.bulk;
  const base = '/services/data/:version/jobs/ingest';

  const findJob = (api: ApiContext, request: FastifyRequest): IngestJob =>
    jobs().find('ingest', api.org, (request.params as { jobId: string }).jobId);

  app.post(base, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-ingest');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const object = schema.object(String(body.object ?? ''));
    if (!object) {
      throw new ApiError(400, 'NOT_FOUND', `sObject type '${String(body.object ?? '')}' is not supported.`);
    }
    const operation = body.operation as IngestOperation;
    if (!OPERATIONS.includes(operation)) {
      throw new ApiError(400, 'INVALIDJOB', `Invalid operation: ${String(body.operation)}`);
    }
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      const name = typeof body.externalIdFieldName === 'string' ? body.externalIdFieldName : '';
      if (!name) {
        throw new ApiError(
          400,
          'INVALIDJOB',
          `External ID was blank for ${object.name}. An External ID must be specified for upsert.`,
        );
      }
      const field = schema.field(object, name);
      if (!field || !(field.externalId || field.type === 'id')) {
        throw new ApiError(
          400,
          'INVALIDJOB',
          `Field name provided, ${name} does not match an External ID, Salesforce Id, or indexed field for ${object.name}`,
        );
      }
      externalIdFieldName = field.name;
    }
    if (operation === 'hardDelete' && !api.session.user.bulkApiHardDelete) {
      throw new ApiError(
        400,
        'INVALIDJOB',
        'hardDelete operation requires special user profile permission, please contact your system administrator',
      );
    }
    const now = state.clock.now();
    const job: IngestJob = {
      kind: 'ingest',
      id: jobs().nextId(),
      org: api.org,
      createdById: api.session.user.id,
      createdAt: now,
      modifiedAt: now,
      object,
      operation,
      externalIdFieldName,
      assignmentRuleId: typeof body.assignmentRuleId === 'string' ? body.assignmentRuleId : undefined,
      state: 'Open',
      apiVersion: api.version,
      ...jobOptions(body),
      errorMessage: undefined,
      startedAt: undefined,
      finishedAt: undefined,
      uploaded: false,
      header: [],
      rows: [],
      uploadProblem: undefined,
      results: [],
      processed: 0,
      failed: 0,
    };
    jobs().add(job);
    return sendJson(reply, 200, ingestCreatedInfo(job));
  });

  app.get(base, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-ingest');
    return sendJson(reply, 200, jobList(jobs(), 'ingest', api.org));
  });

  app.put(`${base}/:jobId/batches`, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-ingest');
    const job = findJob(api, request);
    const stream = request.body as Readable | undefined;
    if (job.state !== 'Open' || job.uploaded) {
      stream?.resume();
      throw new ApiError(
        409,
        'INVALIDJOBSTATE',
        job.uploaded ? 'Data can only be uploaded to a job once.' : `Job is not in Open state: ${job.state}`,
      );
    }
    if (!stream || typeof stream.pipe !== 'function') {
      throw new ApiError(400, 'INVALIDCONTENTTYPE', 'Content-Type must be text/csv');
    }
    job.uploaded = true;
    const parsed = await parseUpload(stream, job.columnDelimiter, job.lineEnding);
    job.header = parsed.header;
    job.rows = parsed.rows;
    job.uploadProblem = parsed.problem;
    job.modifiedAt = state.clock.now();
    return reply.code(201).send();
  });

  app.patch(`${base}/:jobId`, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-ingest');
    const job = findJob(api, request);
    const wanted = ((request.body ?? {}) as { state?: unknown }).state;
    if (wanted === 'UploadComplete') {
      if (job.state !== 'Open') {
        throw new ApiError(
          409,
          'INVALIDJOBSTATE',
          `Cannot change state of job ${job.id} from ${job.state} to UploadComplete`,
        );
      }
      job.state = 'UploadComplete';
      job.modifiedAt = state.clock.now();
      void processIngestJob(state, job);
      return sendJson(reply, 200, ingestStateInfo(job));
    }
    if (wanted === 'Aborted') {
      abortJob(job, state.clock.now());
      return sendJson(reply, 200, ingestStateInfo(job));
    }
    throw new ApiError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(wanted)}. Use UploadComplete or Aborted.`);
  });

  app.get(`${base}/:jobId`, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-ingest');
    return sendJson(reply, 200, ingestJobInfo(findJob(api, request)));
  });

  app.delete(`${base}/:jobId`, async (request, reply) => {
    const api = gate.open(request, reply, 'bulk-ingest');
    const job = findJob(api, request);
    if (job.state === 'InProgress') {
      throw new ApiError(409, 'INVALIDJOBSTATE', 'A job in progress cannot be deleted. Abort it first.');
    }
    job.state = job.state === 'UploadComplete' ? 'Aborted' : job.state;
    jobs().delete(job.id);
    return reply.code(204).send();
  });

  const results =
    (kind: 'successful' | 'failed' | 'unprocessed') => async (request: FastifyRequest, reply: FastifyReply) => {
      const api = gate.open(request, reply, 'bulk-ingest');
      const job = findJob(api, request);
      return reply.code(200).type(CSV_TYPE).send(resultsCsv(job, kind));
    };
  app.get(`${base}/:jobId/successfulResults`, results('successful'));
  app.get(`${base}/:jobId/failedResults`, results('failed'));
  app.get(`${base}/:jobId/unprocessedrecords`, results('unprocessed'));
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../http/api-gate.ts';
import type { SimContext } from '../http/context.ts';
import { sendJson } from '../http/reply.ts';
import { ApiError } from '../model/errors.ts';
import { schema } from '../schema/registry.ts';
import type { QueryCursor } from './query-cursors.ts';
import { recordUrl } from './records.ts';
import { executeSoql } from './soql.ts';

/**
 * GET /query and /queryAll (?q=) and their locators (/query/<cursor>-<offset>). Batches default to 2000 records; a
 * `Sforce-Query-Options: batchSize=n` header asks for n, clamped to 200..2000 as Salesforce documents.
 */

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;

export function batchSizeOf(request: FastifyRequest): number {
  const header = request.headers['sforce-query-options'];
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const match = /batchSize\s*=\s*(\d+)/i.exec(text);
  if (!match) return DEFAULT_BATCH;
  return Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Number(match[1])));
}

function page(api: ApiContext, cursor: QueryCursor, offset: number, totalSize: number) {
  const object = schema.object(cursor.objectName);
  const type = object?.name ?? cursor.objectName;
  const end = Math.min(offset + cursor.batchSize, cursor.rows.length);
  const records = [];
  for (let index = offset; index < end; index += 1) {
    const row = cursor.rows[index] ?? {};
    const record: Record<string, unknown> = { attributes: { type, url: recordUrl(api.version, type, row.Id) } };
    for (const field of cursor.fields) record[field] = row[field] ?? null;
    records.push(record);
  }
  const done = end >= cursor.rows.length;
  return {
    totalSize,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${api.version}/query/${cursor.id}-${end}` }),
    records,
  };
}

export function registerQueryRoutes(app: FastifyInstance, context: SimContext): void {
  const { gate, state } = context;

  const run = (includeDeleted: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const api = gate.open(request, reply, 'rest-query');
    const query = request.query as Record<string, string | undefined>;
    const result = executeSoql(api.org, query.q ?? '', includeDeleted);
    if (result.isCount) return sendJson(reply, 200, { totalSize: result.totalSize, done: true, records: [] });
    const cursor = state.cursors.open({
      orgName: api.org.name,
      userId: api.session.user.id,
      objectName: result.objectName,
      fields: result.fields,
      rows: result.rows,
      batchSize: batchSizeOf(request),
    });
    const body = page(api, cursor, 0, result.rows.length);
    if (body.done) state.cursors.close(cursor.id);
    return sendJson(reply, 200, body);
  };

  const more = async (request: FastifyRequest, reply: FastifyReply) => {
    const api = gate.open(request, reply, 'rest-query');
    const { locator } = request.params as { locator: string };
    const found = state.cursors.resolve(locator, api.org.name, api.session.user.id);
    if (!found) throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const body = page(api, found.cursor, found.offset, found.cursor.rows.length);
    if (body.done) state.cursors.close(found.cursor.id);
    return sendJson(reply, 200, body);
  };

  app.get('/services/data/:version/query', run(false));
  app.get('/services/data/:version/queryAll', run(true));
  app.get('/services/data/:version/query/:locator', more);
  app.get('/services/data/:version/queryAll/:locator', more);
}

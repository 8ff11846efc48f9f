import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../http/api-gate.ts';
import type { SimContext } from '../http/context.ts';
import { rawBody } from '../http/parsers.ts';
import { sendJson } from '../http/reply.ts';
import { parseDateTime } from '../model/clock.ts';
import {
  DmlBatch,
  deletedTime,
  deleteRecord,
  insertRecord,
  type SaveOutcome,
  updateRecord,
  upsertMatches,
  upsertRecord,
} from '../model/dml.ts';
import { ApiError, notFound, saveError } from '../model/errors.ts';
import { canonicalId } from '../model/ids.ts';
import type { SfRecord } from '../model/record-store.ts';
import { describeGlobalEntry, describeSObject } from '../schema/describe.ts';
import { schema } from '../schema/registry.ts';
import type { ObjectDef } from '../schema/types.ts';
import { externalIdField, idFromUrl, objectFromUrl } from './lookup.ts';
import { parseRecordBody, recordUrl, toApiRecord } from './records.ts';

/**
 * Single-record REST: /sobjects/<Type> (info, create), /describe, /<id> (retrieve, update, delete),
 * /<ExtField>/<value> (retrieve, upsert, delete), and the deleted/updated replication resources.
 */

type Params = { version: string; object: string; id: string; field: string; value: string };

/** A failed single-record save as the REST API answers it: 404 for a deleted row, 400 otherwise. */
function failure(outcome: SaveOutcome): ApiError {
  const error = outcome.errors[0] ?? saveError('UNKNOWN_EXCEPTION', 'An unexpected error occurred.');
  return ApiError.fromSave(error.statusCode === 'ENTITY_IS_DELETED' ? 404 : 400, error);
}

/** The fields `?fields=A,B` asks for (Id appended, as Salesforce does), or every field. */
function requestedFields(object: ObjectDef, list: string | undefined): string[] {
  if (!list) return object.fields.map((field) => field.name);
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => {
      const field = schema.field(object, name);
      if (!field) {
        throw new ApiError(
          400,
          'INVALID_FIELD',
          `No such column '${name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      return field.name;
    });
  return names.includes('Id') ? names : [...names, 'Id'];
}

function liveRecord(api: ApiContext, object: ObjectDef, id: string): SfRecord {
  const record = api.org.store(object.name).get(id);
  if (!record || record.IsDeleted === true) throw notFound();
  return record;
}

function window(query: Record<string, string | undefined>): { start: number; end: number } {
  const start = parseDateTime(query.start ?? '');
  const end = parseDateTime(query.end ?? '');
  if (start === undefined || end === undefined) {
    throw new ApiError(400, 'INVALID_REPLICATION_DATE', 'start and end must be valid dateTime values');
  }
  return { start, end };
}

export function registerSObjectRoutes(app: FastifyInstance, context: SimContext): void {
  const { gate, state } = context;
  const base = '/services/data/:version/sobjects/:object';

  app.get(base, async (request, reply) => {
    const api = gate.open(request, reply, 'rest-describe');
    const object = objectFromUrl((request.params as Params).object);
    const recent = [...api.org.store(object.name).live()]
      .slice(-25)
      .reverse()
      .map((row) => toApiRecord(object, row, api.version, ['Id', 'Name']));
    return sendJson(reply, 200, {
      objectDescribe: describeGlobalEntry(object, api.version, api.instanceUrl),
      recentItems: recent,
    });
  });

  app.get(`${base}/describe`, async (request, reply) => {
    const api = gate.open(request, reply, 'rest-describe');
    const object = objectFromUrl((request.params as Params).object);
    return sendJson(reply, 200, describeSObject(object, api.version, api.instanceUrl));
  });

  const create = async (request: FastifyRequest, reply: FastifyReply) => {
    const api = gate.open(request, reply, 'rest-crud');
    const object = objectFromUrl((request.params as Params).object);
    const { values, id } = parseRecordBody(object, request.body, rawBody(request));
    if (id !== undefined && id !== null && id !== '') {
      throw new ApiError(400, 'INVALID_FIELD', 'Cannot specify Id in an insert call');
    }
    const outcome = insertRecord(new DmlBatch(api.actor()), api.org.store(object.name), values);
    if (!outcome.success) throw failure(outcome);
    return sendJson(reply, 201, { id: outcome.id, success: true, errors: [] });
  };
  app.post(base, create);

  app.get(`${base}/:id`, async (request, reply) => {
    const api = gate.open(request, reply, 'rest-crud');
    const params = request.params as Params;
    const object = objectFromUrl(params.object);
    const query = request.query as Record<string, string | undefined>;
    const store = api.org.store(object.name);
    if (params.id === 'deleted') {
      const { start, end } = window(query);
      const deletedRecords = [...store.all()]
        .map((row) => ({ row, at: deletedTime(row) }))
        .filter(
          (entry) => entry.row.IsDeleted === true && entry.at !== undefined && entry.at >= start && entry.at <= end,
        )
        .map((entry) => ({
          id: entry.row.Id,
          deletedDate: new Date(entry.at ?? 0).toISOString().replace('Z', '+0000'),
        }));
      return sendJson(reply, 200, {
        deletedRecords,
        earliestDateAvailable: new Date(start).toISOString().replace('Z', '+0000'),
        latestDateCovered: new Date(Math.min(end, state.clock.now())).toISOString().replace('Z', '+0000'),
      });
    }
    if (params.id === 'updated') {
      const { start, end } = window(query);
      const ids = [...store.live()]
        .filter((row) => {
          const modified = parseDateTime(String(row.SystemModstamp ?? ''));
          return modified !== undefined && modified >= start && modified <= end;
        })
        .map((row) => row.Id);
      return sendJson(reply, 200, {
        ids,
        latestDateCovered: new Date(Math.min(end, state.clock.now())).toISOString().replace('Z', '+0000'),
      });
    }
    const id = idFromUrl(object, params.id);
    const fields = requestedFields(object, query.fields);
    return sendJson(reply, 200, toApiRecord(object, liveRecord(api, object, id), api.version, fields));
  });

  app.patch(`${base}/:id`, async (request, reply) => {
    const api = gate.open(request, reply, 'rest-crud');
    const params = request.params as Params;
    const object = objectFromUrl(params.object);
    const id = idFromUrl(object, params.id);
    const { values } = parseRecordBody(object, request.body ?? {}, rawBody(request));
    const store = api.org.store(object.name);
    if (!store.get(id)) throw notFound();
    const outcome = updateRecord(new DmlBatch(api.actor()), store, id, values);
    if (!outcome.success) throw failure(outcome);
    return reply.code(204).send();
  });

  app.delete(`${base}/:id`, async (request, reply) => {
    const api = gate.open(request, reply, 'rest-crud');
    const params = request.params as Params;
    const object = objectFromUrl(params.object);
    const id = idFromUrl(object, params.id);
    const store = api.org.store(object.name);
    if (!store.get(id)) throw notFound();
    const outcome = deleteRecord(new DmlBatch(api.actor()), store, id);
    if (!outcome.success) throw failure(outcome);
    return reply.code(204).send();
  });

  // POST /sobjects/<Type>/Id with no value: create through the upsert resource (v37+).
  app.post(`${base}/:id`, async (request, reply) => {
    const params = request.params as Params;
    if (params.id.toLowerCase() !== 'id') {
      gate.open(request, reply, 'rest-crud');
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', "HTTP Method 'POST' not allowed. Allowed are GET,PATCH,DELETE");
    }
    return create(request, reply);
  });

  /** The live rows an external-id URL names; 300 with their URLs when there are several. */
  function byExternalId(api: ApiContext, object: ObjectDef, params: Params, reply: FastifyReply) {
    const field = externalIdField(object, params.field);
    const value = field.type === 'id' ? (canonicalId(params.value) ?? params.value) : params.value;
    const matches = upsertMatches(api.org.store(object.name), field, value);
    if (matches.length > 1) {
      sendJson(
        reply,
        300,
        matches.map((id) => recordUrl(api.version, object.name, id)),
      );
      return undefined;
    }
    return { field, value, matches };
  }

  app.get(`${base}/:field/:value`, async (request, reply) => {
    const api = gate.open(request, reply, 'rest-crud');
    const params = request.params as Params;
    const object = objectFromUrl(params.object);
    const found = byExternalId(api, object, params, reply);
    if (!found) return reply;
    const [id] = found.matches;
    if (!id) throw notFound();
    const query = request.query as Record<string, string | undefined>;
    return sendJson(
      reply,
      200,
      toApiRecord(object, liveRecord(api, object, id), api.version, requestedFields(object, query.fields)),
    );
  });

  app.patch(`${base}/:field/:value`, async (request, reply) => {
    const api = gate.open(request, reply, 'rest-crud');
    const params = request.params as Params;
    const object = objectFromUrl(params.object);
    const field = externalIdField(object, params.field);
    if (field.type === 'id') idFromUrl(object, params.value);
    const { values } = parseRecordBody(object, request.body ?? {}, rawBody(request));
    const found = byExternalId(api, object, params, reply);
    if (!found) return reply;
    const updateOnly = (request.query as Record<string, string | undefined>).updateOnly === 'true';
    // Nothing to create by an Id that matches no record, as with updateOnly.
    if ((updateOnly || field.type === 'id') && found.matches.length === 0) throw notFound();
    const outcome = upsertRecord(new DmlBatch(api.actor()), api.org.store(object.name), field, found.value, values);
    if (!outcome.success) throw failure(outcome);
    if (outcome.created) return sendJson(reply, 201, { id: outcome.id, success: true, errors: [], created: true });
    // Since API 46.0 an update through upsert answers 200 with a body; before, 204 No Content.
    if (Number(api.version) >= 46) {
      return sendJson(reply, 200, { id: outcome.id, success: true, errors: [], created: false });
    }
    return reply.code(204).send();
  });

  app.delete(`${base}/:field/:value`, async (request, reply) => {
    const api = gate.open(request, reply, 'rest-crud');
    const params = request.params as Params;
    const object = objectFromUrl(params.object);
    const found = byExternalId(api, object, params, reply);
    if (!found) return reply;
    const [id] = found.matches;
    if (!id) throw notFound();
    const outcome = deleteRecord(new DmlBatch(api.actor()), api.org.store(object.name), id);
    if (!outcome.success) throw failure(outcome);
    return reply.code(204).send();
  });
}

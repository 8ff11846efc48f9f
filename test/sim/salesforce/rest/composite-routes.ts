import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../http/api-gate.ts';
import type { SimContext } from '../http/context.ts';
import { rawBody } from '../http/parsers.ts';
import { sendJson } from '../http/reply.ts';
import {
  DmlBatch,
  deleteRecord,
  type FieldValues,
  insertRecord,
  rolledBack,
  type SaveOutcome,
  updateRecord,
  upsertRecord,
} from '../model/dml.ts';
import { ApiError, type SaveError, saveError } from '../model/errors.ts';
import { canonicalId } from '../model/ids.ts';
import { indexKey } from '../model/record-store.ts';
import { schema } from '../schema/registry.ts';
import type { ObjectDef } from '../schema/types.ts';
import { externalIdField, objectFromUrl } from './lookup.ts';
import { parseRecordBody, toApiRecord } from './records.ts';

/**
 * sObject Collections (/composite/sobjects): create, update, upsert by external id, delete and retrieve up to 200
 * records per call. Per-record errors carry `statusCode` (gotcha 10); with allOrNone one failure rolls every
 * record back and the others report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */

const MAX_RECORDS = 200;

type Step = { run: (batch: DmlBatch) => SaveOutcome } | { failed: SaveOutcome };

interface CollectionBody {
  allOrNone: boolean;
  records: unknown[];
}

function collectionBody(body: unknown): CollectionBody {
  const value = (body ?? {}) as { allOrNone?: unknown; records?: unknown };
  if (!Array.isArray(value.records)) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of list from missing value records');
  }
  if (value.records.length > MAX_RECORDS) {
    throw new ApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 200 records into this call',
    );
  }
  return { allOrNone: value.allOrNone === true, records: value.records };
}

/** The type a collection record names in `attributes.type`, checked before any record is saved. */
function recordObject(record: unknown): ObjectDef {
  const type = (record as { attributes?: { type?: unknown } } | null)?.attributes?.type;
  if (typeof type !== 'string' || !type) throw new ApiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
  const object = schema.object(type);
  if (!object) {
    throw new ApiError(
      400,
      'INVALID_TYPE',
      `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return object;
}

const failed = (error: SaveError, id?: string): Step => ({
  failed: { ...(id ? { id } : {}), success: false, errors: [error] },
});

/** An id a record or URL gives, checked against the object it should belong to. */
function checkedId(object: ObjectDef | undefined, raw: unknown): { id: string } | { error: SaveError } {
  const text = typeof raw === 'string' ? raw : '';
  const id = canonicalId(text);
  if (!id) return { error: saveError('MALFORMED_ID', `malformed id ${text}`) };
  const target = object ?? schema.byKeyPrefix(id.slice(0, 3));
  if (!target) return { error: saveError('MALFORMED_ID', `malformed id ${text}`) };
  if (id.slice(0, 3) !== target.keyPrefix) {
    return { error: saveError('MALFORMED_ID', `${target.label} ID: id value of incorrect type: ${text}`, ['Id']) };
  }
  return { id };
}

function runSteps(api: ApiContext, steps: Step[], allOrNone: boolean): SaveOutcome[] {
  const batch = new DmlBatch(api.actor());
  const outcomes = steps.map((step) => ('failed' in step ? step.failed : step.run(batch)));
  if (allOrNone && outcomes.some((outcome) => !outcome.success)) {
    batch.rollback();
    return outcomes.map(rolledBack);
  }
  return outcomes;
}

/** The SaveResult shape: `created` only where the call is an upsert. */
function saveResult(outcome: SaveOutcome, withCreated: boolean) {
  return {
    ...(outcome.id ? { id: outcome.id } : {}),
    success: outcome.success,
    errors: outcome.errors,
    ...(withCreated && outcome.success ? { created: outcome.created === true } : {}),
  };
}

export function registerCompositeRoutes(app: FastifyInstance, context: SimContext): void {
  const { gate } = context;
  const base = '/services/data/:version/composite/sobjects';

  app.post(base, async (request, reply) => {
    const api = gate.open(request, reply, 'composite');
    const { allOrNone, records } = collectionBody(request.body);
    const raw = rawBody(request);
    const steps: Step[] = records.map((record) => {
      const object = recordObject(record);
      const { values, id } = parseRecordBody(object, record, raw);
      if (id !== undefined && id !== null && id !== '') {
        return failed(saveError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']));
      }
      return { run: (batch) => insertRecord(batch, api.org.store(object.name), values) };
    });
    return sendJson(
      reply,
      200,
      runSteps(api, steps, allOrNone).map((outcome) => saveResult(outcome, false)),
    );
  });

  app.patch(base, async (request, reply) => {
    const api = gate.open(request, reply, 'composite');
    const { allOrNone, records } = collectionBody(request.body);
    const raw = rawBody(request);
    const steps: Step[] = records.map((record) => {
      const object = recordObject(record);
      const lowerId = (record as { id?: unknown }).id;
      const { values, id } = parseRecordBody(
        object,
        Object.fromEntries(Object.entries(record as object).filter(([key]) => key !== 'id')),
        raw,
      );
      const given = lowerId ?? id;
      if (given === undefined || given === null || given === '') {
        return failed(saveError('MISSING_ARGUMENT', 'Id not specified in an update call'));
      }
      const checked = checkedId(object, given);
      if ('error' in checked) return failed(checked.error);
      return { run: (batch) => updateRecord(batch, api.org.store(object.name), checked.id, values) };
    });
    return sendJson(
      reply,
      200,
      runSteps(api, steps, allOrNone).map((outcome) => saveResult(outcome, false)),
    );
  });

  app.delete(base, async (request, reply) => {
    const api = gate.open(request, reply, 'composite');
    const query = request.query as Record<string, string | undefined>;
    const ids = (query.ids ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (ids.length === 0) throw new ApiError(400, 'REQUIRED_FIELD_MISSING', 'At least 1 Id is required.', ['ids']);
    if (ids.length > MAX_RECORDS) {
      throw new ApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call',
      );
    }
    const steps: Step[] = ids.map((raw) => {
      const checked = checkedId(undefined, raw);
      if ('error' in checked) return failed(checked.error, raw);
      const object = schema.byKeyPrefix(checked.id.slice(0, 3));
      if (!object) return failed(saveError('MALFORMED_ID', `malformed id ${raw}`), raw);
      return { run: (batch) => deleteRecord(batch, api.org.store(object.name), checked.id) };
    });
    const outcomes = runSteps(api, steps, query.allOrNone === 'true');
    return sendJson(
      reply,
      200,
      outcomes.map((outcome) => saveResult(outcome, false)),
    );
  });

  const retrieve = (api: ApiContext, objectName: string, ids: unknown, fields: unknown) => {
    const object = objectFromUrl(objectName);
    const idList = Array.isArray(ids)
      ? ids.map(String)
      : String(ids ?? '')
          .split(',')
          .filter(Boolean);
    if (idList.length === 0) throw new ApiError(400, 'REQUIRED_FIELD_MISSING', 'At least 1 Id is required.', ['ids']);
    if (idList.length > 2000) throw new ApiError(400, 'EXCEEDED_ID_LIMIT', 'Too many ids: at most 2000 per call');
    const fieldList = (Array.isArray(fields) ? fields.map(String) : String(fields ?? '').split(','))
      .map((name) => name.trim())
      .filter(Boolean);
    const names = (fieldList.length ? fieldList : object.fields.map((field) => field.name)).map((name) => {
      const field = schema.field(object, name);
      if (!field) throw new ApiError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${object.name}'.`);
      return field.name;
    });
    const store = api.org.store(object.name);
    return idList.map((raw) => {
      const checked = checkedId(object, raw);
      if ('error' in checked) throw ApiError.fromSave(400, checked.error);
      const row = store.get(checked.id);
      return row && row.IsDeleted !== true ? toApiRecord(object, row, api.version, names) : null;
    });
  };

  app.get(`${base}/:object`, async (request, reply) => {
    const api = gate.open(request, reply, 'composite');
    const query = request.query as Record<string, string | undefined>;
    return sendJson(reply, 200, retrieve(api, (request.params as { object: string }).object, query.ids, query.fields));
  });

  app.post(`${base}/:object`, async (request, reply) => {
    const api = gate.open(request, reply, 'composite');
    const body = (request.body ?? {}) as { ids?: unknown; fields?: unknown };
    return sendJson(reply, 200, retrieve(api, (request.params as { object: string }).object, body.ids, body.fields));
  });

  app.patch(`${base}/:object/:field`, async (request, reply) => {
    const api = gate.open(request, reply, 'composite');
    const params = request.params as { object: string; field: string };
    const object = objectFromUrl(params.object);
    const field = externalIdField(object, params.field);
    const { allOrNone, records } = collectionBody(request.body);
    const raw = rawBody(request);
    const parsed = records.map((record) => {
      const recordType = recordObject(record);
      if (recordType !== object) {
        throw new ApiError(400, 'INVALID_TYPE', `Records must all be of type ${object.name}`);
      }
      const { values, id } = parseRecordBody(object, record, raw);
      const key = field.type === 'id' ? id : values.get(field.name);
      return { values, key };
    });
    const seen = new Map<string, number>();
    for (const { key } of parsed) {
      const normalised = indexKey(field, key);
      if (normalised !== undefined) seen.set(normalised, (seen.get(normalised) ?? 0) + 1);
    }
    const steps: Step[] = parsed.map(({ values, key }) => {
      const normalised = indexKey(field, key);
      if (field.type !== 'id' && normalised === undefined) {
        return failed(saveError('MISSING_ARGUMENT', `${field.name} not specified`, [field.name]));
      }
      if (normalised !== undefined && (seen.get(normalised) ?? 0) > 1) {
        return failed(
          saveError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(key)}`, [field.name]),
        );
      }
      let value: unknown = key;
      if (field.type === 'id' && key) {
        const checked = checkedId(object, key);
        if ('error' in checked) return failed(checked.error);
        value = checked.id;
      }
      const fieldValues: FieldValues = values;
      return { run: (batch) => upsertRecord(batch, api.org.store(object.name), field, value, fieldValues) };
    });
    return sendJson(
      reply,
      200,
      runSteps(api, steps, allOrNone).map((outcome) => saveResult(outcome, true)),
    );
  });
}

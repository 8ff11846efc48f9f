import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import {
  ACTIVITY_LABELS,
  ActivityErrorCode,
  type ActivityKind,
  type ActivityRequest,
  type ActivityRun,
  type CrmField,
  type QueryCount,
  type QueryCountRequest,
} from '@orglink/shared';
import type { FastifyInstance } from 'fastify';
import type { SalesforceClient } from '../../crm/salesforce/salesforce-client.ts';
import { salesforceRequest } from '../../crm/salesforce/salesforce-rest.ts';
import { jobs } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import { csvCell } from '../../runner/record-prep.ts';
import { requireTeamConnection, requireUsableConnection } from '../integrations/connection-access.ts';
import { crmCallProblem, describeCrmObject, openConnectionClient } from '../integrations/crm-fields.ts';
import type { Caller } from '../teams/team-service.ts';
import { type ActivityConfig, isDelete, isQuery } from './activity-config.ts';
import { findUpload } from './activity-uploads.ts';
import { runFile } from './run-files.ts';
import { buildSoql, countSoql, fieldIndex, knownFields, objectOfSoql } from './soql.ts';

/** Salesforce's codes for a query it cannot run as written: the admin's to fix, so a 400 with its words. */
const SOQL_REFUSALS = new Set(['MALFORMED_QUERY', 'INVALID_FIELD', 'INVALID_TYPE', 'INVALID_QUERY_FILTER_OPERATOR']);
/** Not the query's fault: the session, the limits, or Salesforce being down. */
const NOT_THE_QUERY = new Set(['INVALID_SESSION_ID', 'REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE']);

/** Any other 4xx answer to a query (NUMBER_OUTSIDE_VALID_RANGE, a Bulk Query's API_ERROR...) is about the query. */
function isRefusalOfTheQuery(error: unknown, code: string): boolean {
  if (NOT_THE_QUERY.has(code) || code.startsWith('ERROR_HTTP_5')) return false;
  const status =
    (error as { statusCode?: unknown; status?: unknown }).statusCode ?? (error as { status?: unknown }).status;
  return typeof status === 'number' ? status >= 400 && status < 500 : !code.startsWith('ERROR_HTTP_');
}

/**
 * Checks an activity against the org (describe, and Salesforce itself for SOQL) before anything is written, then
 * queues it as a run in the job history. Nothing reaches the CRM's data when the request is refused.
 */
export async function startActivity(
  app: FastifyInstance,
  caller: Caller,
  connectionId: string,
  request: ActivityRequest,
): Promise<ActivityRun> {
  const { connection, client } = await openSalesforce(app, caller, connectionId, request.activity);
  const runId = `run_${randomUUID()}`;
  const config = isQuery(request.activity)
    ? await checkQuery(client, request)
    : await checkWrite(app, client, caller, connection.id, runId, request);
  const label = ACTIVITY_LABELS[request.activity];
  const jobId = `job_${randomUUID()}`;
  app.db
    .insert(jobs)
    .values({
      id: jobId,
      teamId: caller.teamId,
      connectionId: connection.id,
      kind: 'activity',
      name: `${label} ${config.object}`,
      config: config as unknown as Record<string, unknown>,
      schedule: null,
      state: 'active',
      createdBy: caller.userId,
      createdAt: new Date().toISOString(),
    })
    .run();
  const run = app.runner.enqueue({ jobId, trigger: 'manual', startedBy: caller.userId, runId });
  return { run, soql: config.soql };
}

/** How many records a query would return, for the preview before it runs. */
export async function countQuery(
  app: FastifyInstance,
  caller: Caller,
  connectionId: string,
  request: QueryCountRequest,
): Promise<QueryCount> {
  const { client } = await openSalesforce(app, caller, connectionId, 'query');
  const { soql } = await resolveSoql(client, request);
  const result = await soqlCall(() =>
    salesforceRequest<{ totalSize: number }>(client, 'GET', `/query?q=${encodeURIComponent(countSoql(soql))}`),
  );
  return { count: result.totalSize, soql };
}

/** The team's usable Salesforce connection and its client; a Dynamics one is refused for `activity`. */
async function openSalesforce(app: FastifyInstance, caller: Caller, connectionId: string, activity: ActivityKind) {
  const connection = requireTeamConnection(app.db, caller.teamId, connectionId);
  if (connection.kind === 'dynamics') throw notOffered(activity);
  requireUsableConnection(connection, 'run');
  return { connection, client: (await openConnectionClient(app, connection.id)) as SalesforceClient };
}

/**
 * Dynamics 365 connections offer none of the eleven: they are Salesforce's API (SOQL, sObject Collections, Bulk API
 * 2.0). Said plainly, as the issue allows, rather than half-mapped onto the Web API; Dynamics environments are written
 * by Catalog write jobs.
 */
function notOffered(activity: ActivityKind): ApiError {
  return new ApiError(
    400,
    ActivityErrorCode.NotOffered,
    `${ACTIVITY_LABELS[activity]} runs against Salesforce connections; Dynamics 365 connections do not offer connector activities (their environments are written by Catalog write jobs). Pick a Salesforce connection.`,
  );
}

async function resolveSoql(
  client: SalesforceClient,
  request: Pick<ActivityRequest, 'soql' | 'builder' | 'object'>,
): Promise<{ soql: string; object: string }> {
  if (Boolean(request.soql) === Boolean(request.builder)) {
    throw new ApiError(
      400,
      ActivityErrorCode.InvalidRequest,
      'A query needs either SOQL text (soql) or the builder (object + builder), not both.',
    );
  }
  if (request.soql) {
    const object = objectOfSoql(request.soql);
    if (!object) {
      throw new ApiError(
        400,
        ActivityErrorCode.SoqlInvalid,
        'The SOQL has no FROM <object>. Write SELECT <fields> FROM <object>.',
      );
    }
    return { soql: request.soql.trim(), object };
  }
  if (!request.object) {
    throw new ApiError(400, ActivityErrorCode.InvalidRequest, 'The builder needs the object to query (object).');
  }
  const described = await describeCrmObject(client, request.object);
  return {
    soql: buildSoql(
      described.object,
      request.builder as NonNullable<ActivityRequest['builder']>,
      fieldIndex(described.fields),
    ),
    object: described.object,
  };
}

async function soqlCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = (error as { errorCode?: unknown }).errorCode;
    if (typeof code === 'string' && (SOQL_REFUSALS.has(code) || isRefusalOfTheQuery(error, code))) {
      throw new ApiError(
        400,
        ActivityErrorCode.SoqlInvalid,
        `Salesforce refused the query: ${(error as Error).message}`,
        {
          crmCode: code,
        },
      );
    }
    throw crmCallProblem(error);
  }
}

async function checkQuery(client: SalesforceClient, request: ActivityRequest): Promise<ActivityConfig> {
  if (request.rows || request.uploadId || request.externalIdField) {
    throw new ApiError(
      400,
      ActivityErrorCode.InvalidRequest,
      'A query takes no input rows, upload or External ID field.',
    );
  }
  const { soql, object } = await resolveSoql(client, request);
  const config: ActivityConfig = {
    activity: request.activity,
    object,
    soql,
    externalIdField: null,
    allOrNone: false,
    input: null,
    fieldTypes: {},
  };
  if (request.activity === 'bulk-query') {
    // Creating the job is Salesforce's check of the SOQL; the run then waits for this job.
    const job = await soqlCall(() =>
      salesforceRequest<{ id: string }>(client, 'POST', '/jobs/query', { operation: 'query', query: soql }),
    );
    config.bulkQueryJobId = job.id;
  } else {
    // Salesforce parses the query when asked for it; LIMIT 1 would change a query that has its own, so the first
    // page is asked for and dropped (the run reads it again).
    await soqlCall(() => salesforceRequest(client, 'GET', `/query?q=${encodeURIComponent(soql)}`));
  }
  return config;
}

async function checkWrite(
  app: FastifyInstance,
  client: SalesforceClient,
  caller: Caller,
  connectionId: string,
  runId: string,
  request: ActivityRequest,
): Promise<ActivityConfig> {
  const { activity } = request;
  if (!request.object) {
    throw new ApiError(
      400,
      ActivityErrorCode.InvalidRequest,
      `${ACTIVITY_LABELS[activity]} needs the object (object).`,
    );
  }
  if (request.soql || request.builder) {
    throw new ApiError(
      400,
      ActivityErrorCode.InvalidRequest,
      `${ACTIVITY_LABELS[activity]} takes input rows, not a query.`,
    );
  }
  if (Boolean(request.rows) === Boolean(request.uploadId)) {
    throw new ApiError(
      400,
      ActivityErrorCode.InvalidRequest,
      'Give the records to write either as rows (JSON) or as an uploaded CSV (uploadId), not both.',
    );
  }
  const described = await describeCrmObject(client, request.object);
  const index = fieldIndex(described.fields);
  const upload = request.uploadId
    ? findUpload(app, { teamId: caller.teamId, connectionId }, request.uploadId)
    : undefined;
  const columns = upload ? upload.columns : [...new Set((request.rows ?? []).flatMap((row) => Object.keys(row)))];
  if (upload && upload.rows === 0) {
    throw new ApiError(400, ActivityErrorCode.UploadInvalid, 'The uploaded CSV has a header but no records.');
  }
  if (request.rows && request.rows.length === 0) {
    throw new ApiError(400, ActivityErrorCode.InvalidRequest, 'There are no rows to write.');
  }
  // Each column fills the field the map names, or the field of its own name; '' skips it. Anything else is refused
  // with the list, before a record is sent.
  const map = request.columnMap ?? {};
  const unknownMapped = Object.keys(map).filter((column) => !columns.includes(column));
  if (unknownMapped.length > 0) {
    throw new ApiError(
      400,
      ActivityErrorCode.InvalidRequest,
      `The column map names columns the input does not have: ${unknownMapped.join(', ')}.`,
    );
  }
  const targets = columns.map((column) => {
    const mapped = map[column];
    if (mapped === '') return null;
    return index.get((mapped ?? column).toLowerCase())?.name ?? undefined;
  });
  const unknown = columns.filter((_, at) => targets[at] === undefined);
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      ActivityErrorCode.UnknownColumns,
      `${unknown.length === 1 ? 'This column matches' : 'These columns match'} no field of ${described.object}: ${unknown.join(', ')}. Map ${unknown.length === 1 ? 'it' : 'each'} to a field, or skip ${unknown.length === 1 ? 'it' : 'them'}.`,
      { columns: unknown },
    );
  }
  const fields = (targets as (string | null)[]).filter((target): target is string => target !== null);
  const repeated = fields.filter((field, at) => fields.indexOf(field) !== at);
  if (repeated.length > 0) {
    throw new ApiError(
      400,
      ActivityErrorCode.InvalidRequest,
      `Two columns fill ${[...new Set(repeated)].join(', ')}; map each field once.`,
    );
  }
  const externalIdField = checkFieldsFor(activity, described.object, fields, index, request.externalIdField);
  const fieldTypes = Object.fromEntries(
    fields.map((field) => [field, index.get(field.toLowerCase())?.type ?? 'string']),
  );
  const input = {
    file: upload ? upload.file : await writeRowsFile(app, runId, columns, request.rows ?? []),
    targets: targets as (string | null)[],
  };
  return {
    activity,
    object: described.object,
    soql: null,
    externalIdField,
    allOrNone: request.allOrNone ?? false,
    input,
    rowCount: upload ? upload.rows : (request.rows ?? []).length,
    fieldTypes,
  };
}

/** What each activity may write, as describe says; returns the upsert's External ID field. */
function checkFieldsFor(
  activity: ActivityRequest['activity'],
  object: string,
  fields: string[],
  index: Map<string, CrmField>,
  externalIdName: string | undefined,
): string | null {
  const refuse = (message: string, code: string = ActivityErrorCode.InvalidRequest): never => {
    throw new ApiError(400, code, message);
  };
  if (fields.length === 0) refuse('No column fills a field. Map at least one column to a field.');
  if (isDelete(activity)) {
    if (fields.length !== 1 || fields[0] !== 'Id') {
      refuse(`${ACTIVITY_LABELS[activity]} takes only the record Ids: one column mapped to Id.`);
    }
    return null;
  }
  const writable = (field: CrmField) =>
    activity.endsWith('insert')
      ? field.createable
      : activity.endsWith('update')
        ? field.updateable
        : field.createable || field.updateable;
  if (activity.endsWith('update') && !fields.includes('Id')) {
    refuse(`${ACTIVITY_LABELS[activity]} finds each record by its Id: map a column to Id.`);
  }
  if (activity.endsWith('insert') && fields.includes('Id')) {
    refuse(
      'Insert creates new records, which get their Id from Salesforce: skip the Id column, or use Update or Upsert.',
    );
  }
  let externalId: string | null = null;
  if (activity.endsWith('upsert')) {
    if (!externalIdName)
      refuse(`${ACTIVITY_LABELS[activity]} needs the External ID field to match records by (externalIdField).`);
    const [field] = knownFields(object, [externalIdName as string], index);
    if (field?.name === 'Id') {
      // An upsert by Id creates every row whose Id is blank: such a create could not be safely sent again after a
      // crash or a dropped connection. Jitterbit's advice is the same: use Insert or Update for Ids.
      refuse(
        'Upsert matches by an External ID field. To write by Salesforce Id, use Update (and Insert for new records).',
      );
    }
    if (!field || !(field.externalId && field.unique)) {
      refuse(
        `${field?.name ?? externalIdName} is not a unique External ID field of ${object}, so records could match several rows. Pick a field marked External ID and Unique.`,
        ActivityErrorCode.ExternalIdNotUnique,
      );
    }
    externalId = field?.name ?? null;
    if (externalId && !fields.includes(externalId))
      refuse(`Map a column to ${externalId}: upsert matches records by it.`);
  }
  const readOnly = fields
    .filter((name) => name !== 'Id' && name !== externalId)
    .filter((name) => {
      const field = index.get(name.toLowerCase());
      return !field || !writable(field);
    });
  if (readOnly.length > 0) {
    refuse(
      `Salesforce does not let ${ACTIVITY_LABELS[activity]} write ${readOnly.join(', ')} on ${object} (read-only for this user). Skip ${readOnly.length === 1 ? 'that column' : 'those columns'}.`,
      ActivityErrorCode.UnknownFields,
    );
  }
  return externalId;
}

/** JSON rows become the run's input CSV, as an upload would be: one format for the runner to read. */
async function writeRowsFile(
  app: FastifyInstance,
  runId: string,
  columns: string[],
  rows: NonNullable<ActivityRequest['rows']>,
): Promise<string> {
  const file = runFile(app, runId, 'input');
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${columns.map(csvCell).join(',')}\n`);
  for (const row of rows) {
    // The Bulk API's reading of a cell: empty leaves the field alone, #N/A clears it. A JSON null means clear.
    await write(
      `${
        columns
          .map((column) => {
            const value = row[column];
            return csvCell(value === null ? '#N/A' : value === undefined ? '' : String(value));
          })
          // A row of one empty cell would be an empty line, which CSV readers skip: quoted, it stays a row.
          .join(',') || '""'
      }\n`,
    );
  }
  out.end();
  await once(out, 'finish');
  return file;
}

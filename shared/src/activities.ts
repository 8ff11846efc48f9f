import { type Static, Type } from 'typebox';
import { JobRun } from './runs.ts';

/**
 * The eleven connector activities, as Jitterbit's Salesforce connector names them: five standard ones (REST query and
 * sObject Collections) and six bulk ones (Bulk API 2.0).
 */
export const ActivityKind = Type.Union([
  Type.Literal('query'),
  Type.Literal('insert'),
  Type.Literal('update'),
  Type.Literal('upsert'),
  Type.Literal('delete'),
  Type.Literal('bulk-query'),
  Type.Literal('bulk-insert'),
  Type.Literal('bulk-update'),
  Type.Literal('bulk-upsert'),
  Type.Literal('bulk-delete'),
  Type.Literal('bulk-hard-delete'),
]);
export type ActivityKind = Static<typeof ActivityKind>;

export const ACTIVITY_LABELS: Record<ActivityKind, string> = {
  query: 'Query',
  insert: 'Insert',
  update: 'Update',
  upsert: 'Upsert',
  delete: 'Delete',
  'bulk-query': 'Bulk Query',
  'bulk-insert': 'Bulk Insert',
  'bulk-update': 'Bulk Update',
  'bulk-upsert': 'Bulk Upsert',
  'bulk-delete': 'Bulk Delete',
  'bulk-hard-delete': 'Bulk Hard Delete',
};

export const QUERY_ACTIVITIES: readonly ActivityKind[] = ['query', 'bulk-query'];

export const ConditionOperator = Type.Union([
  Type.Literal('='),
  Type.Literal('!='),
  Type.Literal('<'),
  Type.Literal('<='),
  Type.Literal('>'),
  Type.Literal('>='),
  Type.Literal('LIKE'),
  Type.Literal('IN'),
  Type.Literal('NOT IN'),
]);
export type ConditionOperator = Static<typeof ConditionOperator>;

const FieldName = Type.String({ minLength: 1, maxLength: 80 });

export const QueryCondition = Type.Object(
  {
    field: FieldName,
    operator: ConditionOperator,
    /** Compared as the field's type says (numbers, booleans and dates unquoted); IN takes a list. */
    value: Type.Union([
      Type.String({ maxLength: 1000 }),
      Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 200 }),
    ]),
  },
  { additionalProperties: false },
);
export type QueryCondition = Static<typeof QueryCondition>;

/** The query builder: produces SOQL (Salesforce) or an OData query (Dynamics 365), every value escaped. */
export const QueryBuilder = Type.Object(
  {
    fields: Type.Array(FieldName, { minItems: 1, maxItems: 200 }),
    conditions: Type.Optional(Type.Array(QueryCondition, { maxItems: 50 })),
    orderBy: Type.Optional(
      Type.Object(
        { field: FieldName, direction: Type.Union([Type.Literal('ASC'), Type.Literal('DESC')]) },
        { additionalProperties: false },
      ),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000_000 })),
  },
  { additionalProperties: false },
);
export type QueryBuilder = Static<typeof QueryBuilder>;

const CellValue = Type.Union([Type.String({ maxLength: 131_072 }), Type.Number(), Type.Boolean(), Type.Null()]);

/** `POST /api/connections/:id/activities`: run one activity; it becomes a run in the job history. */
export const ActivityRequest = Type.Object(
  {
    activity: ActivityKind,
    /** The object (Salesforce API name, Dynamics logical name); for Query with `soql` it is read from the SOQL. */
    object: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    /** Query / Bulk Query: SOQL text, or `builder`. */
    soql: Type.Optional(Type.String({ minLength: 1, maxLength: 100_000 })),
    builder: Type.Optional(QueryBuilder),
    /** Upsert / Bulk Upsert: the External ID field (it must be unique). */
    externalIdField: Type.Optional(FieldName),
    /** Standard Insert / Update / Upsert / Delete: roll back every record of a request if one fails. */
    allOrNone: Type.Optional(Type.Boolean()),
    /** Input as JSON rows (field -> value), at most 10,000; larger inputs come as an uploaded CSV. */
    rows: Type.Optional(Type.Array(Type.Record(Type.String({ maxLength: 80 }), CellValue), { maxItems: 10_000 })),
    /** Input as an uploaded CSV (`POST .../activities/uploads`) and which column fills which field. */
    uploadId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** '' skips the column. */
    columnMap: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), Type.Union([FieldName, Type.Literal('')]))),
  },
  { additionalProperties: false },
);
export type ActivityRequest = Static<typeof ActivityRequest>;

export const ActivityRun = Type.Object({ run: JobRun, soql: Type.Union([Type.String(), Type.Null()]) });
export type ActivityRun = Static<typeof ActivityRun>;

/** `POST /api/connections/:id/activities/uploads` (body: the CSV, text/csv): the stored file, read once for its shape. */
export const ActivityUpload = Type.Object({
  uploadId: Type.String(),
  columns: Type.Array(Type.String()),
  rows: Type.Integer({ minimum: 0 }),
  bytes: Type.Integer({ minimum: 0 }),
});
export type ActivityUpload = Static<typeof ActivityUpload>;

/** `POST /api/connections/:id/activities/count`: how many records a query would return, before running it. */
export const QueryCountRequest = Type.Object(
  {
    object: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    soql: Type.Optional(Type.String({ minLength: 1, maxLength: 100_000 })),
    builder: Type.Optional(QueryBuilder),
  },
  { additionalProperties: false },
);
export type QueryCountRequest = Static<typeof QueryCountRequest>;
export const QueryCount = Type.Object({ count: Type.Integer({ minimum: 0 }), soql: Type.String() });
export type QueryCount = Static<typeof QueryCount>;

/** `GET /api/runs/:id/rows?from=&count=`: a page of a query run's results (rows as the CRM returned them). */
export const ResultRowsQuery = Type.Object(
  {
    from: Type.Optional(Type.Integer({ minimum: 0 })),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type ResultRowsQuery = Static<typeof ResultRowsQuery>;
export const ResultRows = Type.Object({
  columns: Type.Array(Type.String()),
  rows: Type.Array(Type.Array(Type.String())),
  from: Type.Integer({ minimum: 0 }),
  total: Type.Integer({ minimum: 0 }),
});
export type ResultRows = Static<typeof ResultRows>;

/** Upload cap: Bulk API 2.0 takes 150 MB of CSV per job. */
export const MAX_UPLOAD_BYTES = 150 * 1024 * 1024;

export const ActivityErrorCode = {
  InvalidRequest: 'ACTIVITY_INVALID',
  NotOffered: 'ACTIVITY_NOT_OFFERED',
  SoqlInvalid: 'SOQL_INVALID',
  UnknownColumns: 'CSV_UNKNOWN_COLUMNS',
  UnknownFields: 'UNKNOWN_FIELDS',
  ExternalIdNotUnique: 'EXTERNAL_ID_NOT_UNIQUE',
  UploadTooLarge: 'UPLOAD_TOO_LARGE',
  UploadInvalid: 'UPLOAD_INVALID',
  UploadNotFound: 'UPLOAD_NOT_FOUND',
  NoResults: 'RUN_HAS_NO_ROWS',
} as const;

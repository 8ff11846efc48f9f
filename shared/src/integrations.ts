import { type Static, Type } from 'typebox';
import { JobRun } from './runs.ts';

/** The CRM table Catalog users are written to (Dynamics: contact / lead). */
export const TargetObject = Type.Union([Type.Literal('Contact'), Type.Literal('Lead')]);
export type TargetObject = Static<typeof TargetObject>;

/**
 * How a Catalog user finds its CRM record: by an External ID field holding the Catalog user id (default; exact and
 * stable), or by e-mail (an e-mail matching several CRM records is a per-record error, never a guess).
 */
export const MatchKey = Type.Union([Type.Literal('external-id'), Type.Literal('email')]);
export type MatchKey = Static<typeof MatchKey>;

export { CATALOG_CUSTOM_FIELD_PREFIX, CATALOG_USER_FIELDS } from './catalog-fields.ts';

/** One row of the field map: a CRM field filled from a Catalog field or from a constant (e.g. Lead Company). */
export const FieldMapping = Type.Object(
  {
    target: Type.String({ minLength: 1, maxLength: 120, description: 'CRM field API name, e.g. FirstName.' }),
    source: Type.Optional(
      Type.String({ minLength: 1, maxLength: 160, description: 'Catalog field, e.g. first_name.' }),
    ),
    constant: Type.Optional(Type.String({ maxLength: 255, description: 'A fixed value instead of a Catalog field.' })),
  },
  { additionalProperties: false },
);
export type FieldMapping = Static<typeof FieldMapping>;

/** Linked; not linked (unlinked, history kept); or its connection lost its tokens. */
export const IntegrationLinkState = Type.Union([
  Type.Literal('linked'),
  Type.Literal('not-linked'),
  Type.Literal('connection-inactive'),
]);
export type IntegrationLinkState = Static<typeof IntegrationLinkState>;

export const Integration = Type.Object(
  {
    id: Type.String(),
    connectionId: Type.String(),
    connectionName: Type.String(),
    catalogHost: Type.String({ description: 'e.g. acme.catalog.instructure.com' }),
    catalogAccountName: Type.Union([Type.String(), Type.Null()]),
    target: TargetObject,
    matchKey: MatchKey,
    /** The CRM External ID field holding the Catalog user id (match key external-id). */
    externalIdField: Type.Union([Type.String(), Type.Null()]),
    fieldMap: Type.Array(FieldMapping),
    /** Cron in UTC (default "0 0 * * *": daily at 00:00 UTC), or null when the schedule is off. */
    schedule: Type.Union([Type.String(), Type.Null()]),
    linkState: IntegrationLinkState,
    /** Why the last run or link check failed, e.g. "Catalog API token rejected". */
    problem: Type.Union([Type.String(), Type.Null()]),
    jobId: Type.String(),
    lastRun: Type.Union([JobRun, Type.Null()]),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Integration' },
);
export type Integration = Static<typeof Integration>;
export const IntegrationList = Type.Object({ integrations: Type.Array(Integration) });

export const CreateIntegrationRequest = Type.Object(
  {
    connectionId: Type.String(),
    catalogHost: Type.String({ minLength: 3, maxLength: 255 }),
    catalogToken: Type.String({ minLength: 8, maxLength: 512, description: 'A Catalog API key; stored encrypted.' }),
    target: Type.Optional(TargetObject),
    matchKey: Type.Optional(MatchKey),
    externalIdField: Type.Optional(Type.Union([Type.Null(), Type.String()])),
    fieldMap: Type.Optional(Type.Array(FieldMapping, { maxItems: 200 })),
    schedule: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 120 })])),
  },
  { additionalProperties: false },
);
export type CreateIntegrationRequest = Static<typeof CreateIntegrationRequest>;

export const UpdateIntegrationRequest = Type.Object(
  {
    target: Type.Optional(TargetObject),
    matchKey: Type.Optional(MatchKey),
    externalIdField: Type.Optional(Type.Union([Type.Null(), Type.String()])),
    fieldMap: Type.Optional(Type.Array(FieldMapping, { maxItems: 200 })),
    schedule: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 120 })])),
    catalogToken: Type.Optional(Type.String({ minLength: 8, maxLength: 512 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateIntegrationRequest = Static<typeof UpdateIntegrationRequest>;

/** A CRM field as the mapping editor offers it (from describe / EntityDefinitions). */
export const CrmField = Type.Object({
  name: Type.String(),
  label: Type.String(),
  type: Type.String(),
  length: Type.Union([Type.Integer(), Type.Null()]),
  required: Type.Boolean({ description: 'Must have a value on create.' }),
  createable: Type.Boolean(),
  updateable: Type.Boolean(),
  externalId: Type.Boolean(),
  unique: Type.Boolean(),
});
export type CrmField = Static<typeof CrmField>;
export const CrmFieldList = Type.Object({ object: Type.String(), fields: Type.Array(CrmField) });

/** What the mapping editor needs: writable CRM fields of the target and the Catalog fields (custom ones too). */
export const MappingOptions = Type.Object({
  target: TargetObject,
  crmFields: Type.Array(CrmField),
  catalogFields: Type.Array(Type.Object({ name: Type.String(), label: Type.String() })),
  /** CRM fields that must be mapped: First Name, Last Name, Email; Lead also Company. */
  mandatory: Type.Array(Type.String()),
  defaultFieldMap: Type.Array(FieldMapping),
});
export type MappingOptions = Static<typeof MappingOptions>;

/** `POST /api/integrations/:id/run`: Run Write Job now. */
export const RunIntegrationResponse = Type.Object({ run: JobRun });

/** `GET /api/integrations`: live links by default; unlinked ones (history kept) with includeUnlinked=true. */
export const IntegrationListQuery = Type.Object(
  {
    connection: Type.Optional(Type.String({ minLength: 1, description: 'Only the integrations of this connection.' })),
    includeUnlinked: Type.Optional(Type.Boolean({ description: 'Also list unlinked integrations (history).' })),
  },
  { additionalProperties: false },
);

/** Error codes of the integration and CRM field routes (besides the common ones). */
export const IntegrationErrorCode = {
  NotFound: 'INTEGRATION_NOT_FOUND',
  AlreadyLinked: 'INTEGRATION_ALREADY_LINKED',
  Unlinked: 'INTEGRATION_UNLINKED',
  ConnectionNotUsable: 'INTEGRATION_CONNECTION_NOT_USABLE',
  RunInProgress: 'RUN_IN_PROGRESS',
  CatalogHostInvalid: 'CATALOG_HOST_INVALID',
  CatalogTokenRejected: 'CATALOG_TOKEN_REJECTED',
  CatalogUnreachable: 'CATALOG_UNREACHABLE',
  FieldMapInvalid: 'FIELD_MAP_INVALID',
  MatchKeyInvalid: 'MATCH_KEY_INVALID',
  ScheduleInvalid: 'JOB_SCHEDULE_INVALID',
  CrmObjectNotFound: 'CRM_OBJECT_NOT_FOUND',
  CrmUnavailable: 'CRM_UNAVAILABLE',
} as const;

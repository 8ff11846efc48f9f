import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** Facts about this installation that outlive restarts, such as when its database was created. */
export const serverMeta = sqliteTable('server_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull().default(now),
});

export const teams = sqliteTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: text('created_at').notNull().default(now),
});

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  displayName: text('display_name').notNull(),
  createdAt: text('created_at').notNull().default(now),
});

export const memberships = sqliteTable(
  'memberships',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: ['owner', 'admin', 'viewer'] }).notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.userId] })],
);

/** Per-user, per-team bearer tokens. Only a SHA-256 hash is kept: the token itself is shown once. */
export const apiTokens = sqliteTable('api_tokens', {
  id: text('id').primaryKey(),
  teamId: text('team_id')
    .notNull()
    .references(() => teams.id),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: text('created_at').notNull().default(now),
  lastUsedAt: text('last_used_at'),
  revokedAt: text('revoked_at'),
});

/** Invites expire after two days and work once; only the code's hash is kept. */
export const invites = sqliteTable('invites', {
  id: text('id').primaryKey(),
  teamId: text('team_id')
    .notNull()
    .references(() => teams.id),
  role: text('role', { enum: ['owner', 'admin', 'viewer'] }).notNull(),
  codeHash: text('code_hash').notNull().unique(),
  createdBy: text('created_by').references(() => users.id),
  createdAt: text('created_at').notNull().default(now),
  expiresAt: text('expires_at').notNull(),
  redeemedAt: text('redeemed_at'),
  redeemedBy: text('redeemed_by').references(() => users.id),
});

export const connections = sqliteTable(
  'connections',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    kind: text('kind', { enum: ['salesforce', 'dynamics'] }).notNull(),
    /** production | sandbox for Salesforce; public | gcc | gcc-high | dod | china for Dynamics. */
    environment: text('environment').notNull(),
    loginHost: text('login_host'),
    authMethod: text('auth_method', { enum: ['oauth', 'client-credentials', 'password'] })
      .notNull()
      .default('oauth'),
    /** Salesforce 18-character Org ID or Dynamics environment ID. */
    externalOrgId: text('external_org_id'),
    orgName: text('org_name'),
    instanceUrl: text('instance_url'),
    status: text('status', { enum: ['pending', 'active', 'paused', 'inactive'] })
      .notNull()
      .default('pending'),
    statusReason: text('status_reason'),
    /** Set while the admin has paused the connection: kept through a spell of "inactive", so re-authorizing does
     * not undo the pause. */
    pausedAt: text('paused_at'),
    /** A refreshed sandbox's new Org ID, waiting for the admin to confirm the re-point. */
    pendingOrgId: text('pending_org_id'),
    /** AES-256-GCM ciphertext of the CRM tokens (see plugins/secrets.ts); never leaves the server. */
    credentials: text('credentials'),
    dpaAcceptedBy: text('dpa_accepted_by').references(() => users.id),
    dpaAcceptedAt: text('dpa_accepted_at'),
    autoRunDuplicateCheck: integer('auto_run_dc', { mode: 'boolean' }).notNull().default(false),
    linkedProductionId: text('linked_production_id'),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
    /** Deleted connections stay, so that job history keeps their names. */
    deletedAt: text('deleted_at'),
  },
  (table) => [
    uniqueIndex('connections_team_name').on(table.teamId, table.name).where(sql`${table.deletedAt} is null`),
    // An org or environment belongs to one team, and to one live connection in it (a new one takes the old one over).
    uniqueIndex('connections_external_org').on(table.externalOrgId).where(sql`${table.deletedAt} is null`),
    index('connections_team').on(table.teamId),
  ],
);

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id),
    kind: text('kind', { enum: ['write', 'duplicate-check', 'activity'] }).notNull(),
    name: text('name').notNull(),
    config: text('config', { mode: 'json' }).notNull().default(sql`'{}'`),
    /** Cron expression in UTC, or null for on-demand jobs. */
    schedule: text('schedule'),
    state: text('state', { enum: ['active', 'holding', 'disabled'] })
      .notNull()
      .default('active'),
    stateReason: text('state_reason'),
    createdBy: text('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  // By team: GET /api/jobs lists a team's jobs without reading every team's.
  (table) => [index('jobs_connection').on(table.connectionId), index('jobs_team').on(table.teamId, table.createdAt)],
);

/** A Catalog account linked to a connection: what to write (target, field map, match key) and its write job. */
export const integrations = sqliteTable(
  'integrations',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id),
    /** The integration's write job: its schedule and Holding state live there (jobs.kind = 'write'). */
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id),
    catalogHost: text('catalog_host').notNull(),
    catalogAccountName: text('catalog_account_name'),
    /** AES-256-GCM ciphertext of the Catalog API token, bound to this row's id. */
    catalogToken: text('catalog_token').notNull(),
    target: text('target', { enum: ['Contact', 'Lead'] }).notNull(),
    matchKey: text('match_key', { enum: ['external-id', 'email'] })
      .notNull()
      .default('external-id'),
    externalIdField: text('external_id_field'),
    fieldMap: text('field_map', { mode: 'json' }).notNull().default(sql`'[]'`),
    problem: text('problem'),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
    /** Unlinked integrations stay, so their run history keeps its meaning. */
    unlinkedAt: text('unlinked_at'),
  },
  (table) => [
    index('integrations_team').on(table.teamId),
    // One live link per Catalog account and connection.
    uniqueIndex('integrations_catalog_connection')
      .on(table.catalogHost, table.connectionId)
      .where(sql`${table.unlinkedAt} is null`),
  ],
);

/** One execution of a job. Rows are the queue too: the runner claims queued rows with a lease. */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    jobId: text('job_id').references(() => jobs.id),
    kind: text('kind', { enum: ['write', 'duplicate-check', 'activity'] }).notNull(),
    title: text('title').notNull(),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id),
    /** Copied at queue time, so history outlives the connection's renaming and deletion. */
    connectionName: text('connection_name').notNull(),
    integrationId: text('integration_id').references(() => integrations.id),
    status: text('status', {
      enum: ['queued', 'running', 'holding', 'completed', 'completed-with-errors', 'failed', 'aborted'],
    })
      .notNull()
      .default('queued'),
    trigger: text('trigger', { enum: ['manual', 'schedule', 'catch-up'] }).notNull(),
    /** For scheduled runs: the due time they stand for; unique per job, so a due time runs exactly once. */
    dueAt: text('due_at'),
    total: integer('total'),
    processed: integer('processed').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    /** Delete activities: records deleted (Salesforce's recycle bin, or for good with Bulk Hard Delete). */
    deleted: integer('deleted').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    apiCalls: text('api_calls', { mode: 'json' }).notNull().default(sql`'{}'`),
    /** Where a resumed run picks up, written as it goes (e.g. pages read, bulk job ids in flight). */
    checkpoint: text('checkpoint', { mode: 'json' }),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: text('lease_expires_at'),
    abortRequested: integer('abort_requested', { mode: 'boolean' }).notNull().default(false),
    startedBy: text('started_by').references(() => users.id),
    /** Who started it, as shown in history: copied like connection_name, so history needs no join and outlives renames. */
    startedByName: text('started_by_name'),
    queuedAt: text('queued_at').notNull().default(now),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** A scheduled Duplicate Check held because its connection's auto-run setting is off: only an admin starts it. */
    awaitingStart: integer('awaiting_start', { mode: 'boolean' }).notNull().default(false),
    /** Duplicate Check runs: records read, pairs scored and matched, groups (DcRunSummary). */
    summary: text('summary', { mode: 'json' }),
    /** While running, what it does when the counts alone say nothing (matching after all records are read). */
    stage: text('stage'),
  },
  (table) => [
    index('job_runs_team_queued').on(table.teamId, table.queuedAt),
    // An integration's last run (GET /api/integrations, /api/integrations/:id) without scanning the whole history.
    index('job_runs_integration_queued').on(table.integrationId, table.queuedAt),
    index('job_runs_status').on(table.status),
    uniqueIndex('job_runs_job_due').on(table.jobId, table.dueAt).where(sql`${table.dueAt} is not null`),
  ],
);

/** Every record's outcome in a run: what results.csv and errors.csv are made of. */
export const runRecords = sqliteTable(
  'run_records',
  {
    runId: text('run_id')
      .notNull()
      .references(() => jobRuns.id),
    /** The source record's key (the Catalog user id); unique per run, so a resumed run never records twice. */
    sourceKey: text('source_key').notNull(),
    targetId: text('target_id'),
    action: text('action', { enum: ['created', 'updated', 'unchanged', 'deleted', 'failed'] }).notNull(),
    errorCode: text('error_code'),
    message: text('message'),
  },
  (table) => [
    primaryKey({ columns: [table.runId, table.sourceKey] }),
    index('run_records_action').on(table.runId, table.action),
  ],
);

/** Per integration and source record: the hash of the values last written and the CRM id. Re-syncs diff against it. */
export const syncState = sqliteTable(
  'sync_state',
  {
    integrationId: text('integration_id')
      .notNull()
      .references(() => integrations.id),
    sourceKey: text('source_key').notNull(),
    targetId: text('target_id'),
    valuesHash: text('values_hash').notNull(),
    syncedAt: text('synced_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.integrationId, table.sourceKey] })],
);

/** A team's own Duplicate Check scenario (the built-in ones live in code: domain/dedupe/default-scenarios.ts). */
export const dcScenarios = sqliteTable(
  'dc_scenarios',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    name: text('name').notNull(),
    object: text('object', { enum: ['Contact', 'Lead', 'Account', 'Lead-Contact'] }).notNull(),
    /** [{ field, contactField?, method, weight }] */
    rules: text('rules', { mode: 'json' }).notNull(),
    threshold: real('threshold').notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (table) => [uniqueIndex('dc_scenarios_team_name').on(table.teamId, table.name)],
);

/** A group of records a Duplicate Check run found to be one person or company. */
export const dcGroups = sqliteTable(
  'dc_groups',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => jobRuns.id),
    /** Position in the run's list: highest score first. */
    rank: integer('rank').notNull(),
    score: real('score').notNull(),
    size: integer('size').notNull(),
  },
  (table) => [uniqueIndex('dc_groups_run_rank').on(table.runId, table.rank)],
);

/** A record in a group, with the compared values as read, for the side-by-side view. */
export const dcRecords = sqliteTable(
  'dc_records',
  {
    runId: text('run_id')
      .notNull()
      .references(() => jobRuns.id),
    recordId: text('record_id').notNull(),
    groupId: text('group_id')
      .notNull()
      .references(() => dcGroups.id),
    object: text('object').notNull(),
    name: text('name').notNull(),
    values: text('values', { mode: 'json' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.runId, table.recordId] }),
    index('dc_records_record').on(table.recordId),
    index('dc_records_group').on(table.groupId),
  ],
);

/** Two records that matched, with the per-field scores that explain why. */
export const dcPairs = sqliteTable(
  'dc_pairs',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => jobRuns.id),
    groupId: text('group_id')
      .notNull()
      .references(() => dcGroups.id),
    recordA: text('record_a').notNull(),
    recordB: text('record_b').notNull(),
    score: real('score').notNull(),
    scenarioId: text('scenario_id').notNull(),
    scenarioName: text('scenario_name').notNull(),
    /** DcFieldScore[] */
    fields: text('fields', { mode: 'json' }).notNull(),
    dismissedAt: text('dismissed_at'),
  },
  (table) => [
    index('dc_pairs_group').on(table.groupId),
    index('dc_pairs_run').on(table.runId),
    // The badge asks for one record's pairs in a run; a dismissal looks a pair up in every run.
    index('dc_pairs_record_a').on(table.recordA, table.runId),
    index('dc_pairs_record_b').on(table.recordB, table.runId),
  ],
);

/**
 * Pairs an admin marked "not a duplicate": every later run of the team on the same org skips them. Keyed by the org
 * (Salesforce Org ID), not the connection, so re-connecting the org keeps them; record ids in sorted order.
 */
export const dcDismissed = sqliteTable(
  'dc_dismissed',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    orgKey: text('org_key').notNull(),
    recordA: text('record_a').notNull(),
    recordB: text('record_b').notNull(),
    dismissedBy: text('dismissed_by').references(() => users.id),
    dismissedAt: text('dismissed_at').notNull().default(now),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.orgKey, table.recordA, table.recordB] })],
);

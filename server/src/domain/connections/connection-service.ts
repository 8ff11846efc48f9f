import { randomUUID } from 'node:crypto';
import {
  CONNECTION_STATUS_LABELS,
  ConnectionErrorCode,
  type CreateConnectionRequest,
  type DynamicsCloud,
  type UpdateConnectionRequest,
} from '@orglink/shared';
import { and, eq, isNull } from 'drizzle-orm';
import { connections, jobRuns } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import { disableJobs, releaseHeldJobs } from '../jobs/connection-jobs.ts';
import type { Caller } from '../teams/team-service.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import {
  type EventDeps,
  publishConnectionChanged,
  publishConnectionDeleted,
  publishJobsChanged,
} from './connection-events.ts';
import {
  type ConnectionRow,
  connectionRowById,
  findConnectionRow,
  liveConnectionForOrg,
  liveConnectionNamed,
} from './connection-repository.ts';
import { normalizeLoginHost, validateConnectionName, validateEnvironment } from './connection-rules.ts';
import { tryOpenCredentials } from './credentials.ts';
import { applyLinkedProductionSettings } from './linked-production.ts';
import { revokeStoredTokens } from './token-revocation.ts';

const nowIso = () => new Date().toISOString();

/** The caller's connection, or 404: another team's connection is indistinguishable from one that does not exist. */
export function requireConnection(deps: EventDeps, caller: Caller, id: string): ConnectionRow {
  const row = findConnectionRow(deps.db, caller.teamId, id);
  if (!row) {
    throw new ApiError(
      404,
      ConnectionErrorCode.NotFound,
      'There is no such connection in your team. Reload the Connections list.',
    );
  }
  return row;
}

/** A connection that can still change: deleted ones keep their history but nothing else. */
export function requireLiveConnection(deps: EventDeps, caller: Caller, id: string): ConnectionRow {
  const row = requireConnection(deps, caller, id);
  if (row.deletedAt) {
    throw new ApiError(
      409,
      ConnectionErrorCode.Deleted,
      `The connection "${row.name}" was deleted; its history stays, but it cannot be changed. Create a new connection instead.`,
    );
  }
  return row;
}

export function ensureNameFree(deps: EventDeps, teamId: string, name: string, exceptId?: string) {
  const clash = liveConnectionNamed(deps.db, teamId, name);
  if (clash && clash.id !== exceptId) {
    throw new ApiError(
      409,
      ConnectionErrorCode.NameTaken,
      `Your team already has a connection named "${clash.name}". Choose another name.`,
    );
  }
}

/** SQLite's own answer when two requests race for one name: the same 409 as the check above. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error && /UNIQUE constraint failed: connections\.team_id, connections\.name/.test(error.message)
  );
}

/** A pending connection; the sign-in that makes it active is started by the caller (see authorization-service). */
/**
 * A new connection row in `pending` (it becomes active once the CRM's grant is accepted). A name taken meanwhile by
 * another request is reported like any taken name; returns the new id.
 */
export function insertPendingConnection(
  deps: ConnectionDeps,
  caller: Caller,
  values: Pick<typeof connections.$inferInsert, 'name' | 'kind' | 'environment' | 'loginHost' | 'authMethod'> & {
    description?: string;
  },
): string {
  const id = randomUUID();
  const now = nowIso();
  try {
    deps.db
      .insert(connections)
      .values({
        ...values,
        id,
        teamId: caller.teamId,
        description: values.description?.trim() ?? '',
        status: 'pending',
        createdBy: caller.userId,
        createdAt: now,
        updatedAt: now,
      })
      .run();
  } catch (error) {
    if (isUniqueViolation(error)) ensureNameFree(deps, caller.teamId, values.name);
    throw error;
  }
  return id;
}

export async function createConnection(
  deps: ConnectionDeps,
  caller: Caller,
  input: CreateConnectionRequest,
): Promise<ConnectionRow> {
  const name = validateConnectionName(input.name);
  validateEnvironment(input.kind, input.environment);
  const loginHost = normalizeLoginHost(input.kind, input.environment, input.loginHost);
  // Resolving the endpoint first means a CRM that is not set up (503) or an unknown My Domain (400) changes nothing.
  if (input.kind === 'salesforce') {
    await deps.crm.salesforce({ environment: input.environment as 'production' | 'sandbox', loginHost });
  } else {
    await deps.crm.dynamics(input.environment as DynamicsCloud);
  }
  ensureNameFree(deps, caller.teamId, name);
  const id = insertPendingConnection(deps, caller, {
    name,
    description: input.description,
    kind: input.kind,
    environment: input.environment,
    loginHost,
  });
  publishConnectionChanged(deps, id);
  return requireConnection(deps, caller, id);
}

function resolveLinkTarget(deps: EventDeps, caller: Caller, row: ConnectionRow, productionId: string): ConnectionRow {
  if (row.kind !== 'salesforce' || row.environment !== 'sandbox') {
    throw new ApiError(
      400,
      ConnectionErrorCode.LinkInvalid,
      'Only a Salesforce sandbox connection can be linked to a production connection.',
    );
  }
  const production = findConnectionRow(deps.db, caller.teamId, productionId);
  if (!production || production.deletedAt) {
    throw new ApiError(
      400,
      ConnectionErrorCode.LinkInvalid,
      'linkedProductionId must be a connection of your team. Pick your production connection.',
    );
  }
  if (production.kind !== 'salesforce' || production.environment !== 'production') {
    throw new ApiError(
      400,
      ConnectionErrorCode.LinkInvalid,
      `"${production.name}" is not a Salesforce production connection. A sandbox links to its production org's connection.`,
    );
  }
  return production;
}

export function updateConnection(
  deps: EventDeps,
  caller: Caller,
  id: string,
  patch: UpdateConnectionRequest,
): ConnectionRow {
  const row = requireLiveConnection(deps, caller, id);
  const changes: Partial<typeof connections.$inferInsert> = { updatedAt: nowIso() };
  if (patch.name !== undefined) {
    changes.name = validateConnectionName(patch.name);
    ensureNameFree(deps, caller.teamId, changes.name, row.id);
  }
  if (patch.description !== undefined) changes.description = patch.description.trim();
  // The validator coerces JSON null to "" for this string-or-null field, so both mean "unlink".
  const production = patch.linkedProductionId
    ? resolveLinkTarget(deps, caller, row, patch.linkedProductionId)
    : undefined;
  if (patch.linkedProductionId !== undefined) changes.linkedProductionId = production?.id ?? null;
  try {
    deps.db.transaction(() => {
      // Linking copies the production settings; a value sent in the same request still wins.
      if (production && production.id !== row.linkedProductionId)
        applyLinkedProductionSettings(deps.db, row.id, production);
      if (patch.autoRunDuplicateCheck !== undefined) changes.autoRunDuplicateCheck = patch.autoRunDuplicateCheck;
      deps.db.update(connections).set(changes).where(eq(connections.id, row.id)).run();
      // Auto-run switched on: the scheduled checks held for an admin may go now (the runner queues them).
      if (patch.autoRunDuplicateCheck === true) {
        deps.db
          .update(jobRuns)
          .set({ awaitingStart: false, errorMessage: null })
          .where(and(eq(jobRuns.connectionId, row.id), eq(jobRuns.status, 'holding'), eq(jobRuns.awaitingStart, true)))
          .run();
      }
    });
  } catch (error) {
    if (isUniqueViolation(error) && changes.name) ensureNameFree(deps, caller.teamId, changes.name, row.id);
    throw error;
  }
  publishConnectionChanged(deps, row.id);
  return requireConnection(deps, caller, row.id);
}

function stateConflict(row: ConnectionRow, wanted: string): ApiError {
  const label = CONNECTION_STATUS_LABELS[row.status];
  if (row.status === 'inactive' && row.pendingOrgId) {
    return new ApiError(
      409,
      ConnectionErrorCode.NotAuthorized,
      `"${row.name}" is a refreshed sandbox whose Org ID changed to ${row.pendingOrgId}. Confirm the org change first.`,
    );
  }
  if (row.status === 'inactive') {
    return new ApiError(
      409,
      ConnectionErrorCode.NotAuthorized,
      `"${row.name}" is inactive. Re-authorize it to make it active again.`,
    );
  }
  if (row.status === 'pending') {
    return new ApiError(
      409,
      ConnectionErrorCode.NotAuthorized,
      `"${row.name}" has not finished signing in. Sign in (authorize) first.`,
    );
  }
  return new ApiError(409, ConnectionErrorCode.StateConflict, `"${row.name}" is ${label}; it cannot be ${wanted}.`);
}

/** Paused: no runs start; jobs and history stay as they are. */
export function pauseConnection(deps: EventDeps, caller: Caller, id: string): ConnectionRow {
  const row = requireLiveConnection(deps, caller, id);
  if (row.status === 'paused') return row;
  if (row.status !== 'active') throw stateConflict(row, 'paused');
  deps.db
    .update(connections)
    .set({ status: 'paused', statusReason: null, pausedAt: nowIso(), updatedAt: nowIso() })
    .where(and(eq(connections.id, row.id), eq(connections.status, 'active')))
    .run();
  publishConnectionChanged(deps, row.id);
  return requireConnection(deps, caller, row.id);
}

/** From paused only: an inactive connection needs new tokens (re-authorize), not a switch. */
export function activateConnection(deps: EventDeps, caller: Caller, id: string): ConnectionRow {
  const row = requireLiveConnection(deps, caller, id);
  if (row.status === 'active') return row;
  if (row.status !== 'paused') throw stateConflict(row, 'activated');
  const jobIds = deps.db.transaction(() => {
    deps.db
      .update(connections)
      .set({ status: 'active', statusReason: null, pausedAt: null, updatedAt: nowIso() })
      .where(eq(connections.id, row.id))
      .run();
    return releaseHeldJobs(deps.db, row.id);
  });
  publishConnectionChanged(deps, row.id);
  publishJobsChanged(deps, row.teamId, jobIds);
  return requireConnection(deps, caller, row.id);
}

/**
 * Soft delete: the row stays so that job history keeps the connection's name; its tokens are dropped (and revoked
 * at Salesforce), its jobs are disabled, and sandboxes linked to it are unlinked. The name becomes free again.
 */
export async function deleteConnection(deps: ConnectionDeps, caller: Caller, id: string): Promise<void> {
  const row = requireLiveConnection(deps, caller, id);
  const changed = deps.db.transaction(() => {
    deps.db
      .update(connections)
      .set({ deletedAt: nowIso(), credentials: null, updatedAt: nowIso() })
      .where(eq(connections.id, row.id))
      .run();
    const unlinked = deps.db
      .update(connections)
      .set({ linkedProductionId: null, updatedAt: nowIso() })
      .where(and(eq(connections.linkedProductionId, row.id), isNull(connections.deletedAt)))
      .returning({ id: connections.id })
      .all();
    return {
      unlinked: unlinked.map((entry) => entry.id),
      jobIds: disableJobs(deps.db, row.id, `Disabled: the connection "${row.name}" was deleted.`),
    };
  });
  publishConnectionDeleted(deps, row.teamId, row.id);
  for (const sandboxId of changed.unlinked) publishConnectionChanged(deps, sandboxId);
  publishJobsChanged(deps, row.teamId, changed.jobIds);
  const credentials = tryOpenCredentials(deps.secrets, row.id, row.credentials);
  if (credentials) await revokeStoredTokens(deps, row, credentials);
}

/**
 * A refreshed sandbox came back with a new Org ID and the admin confirms it is still "this" sandbox: the connection
 * is re-pointed to the new org, becomes active, and its held jobs resume.
 */
export function confirmOrgChange(deps: ConnectionDeps, caller: Caller, id: string): ConnectionRow {
  const row = requireLiveConnection(deps, caller, id);
  const newOrgId = row.pendingOrgId;
  if (!newOrgId || !row.credentials) {
    throw new ApiError(
      409,
      ConnectionErrorCode.StateConflict,
      `"${row.name}" has no Org ID change waiting for confirmation.`,
    );
  }
  const holder = liveConnectionForOrg(deps.db, newOrgId);
  if (holder && holder.id !== row.id) {
    throw new ApiError(
      409,
      ConnectionErrorCode.OrgConnectedElsewhere,
      holder.teamId === row.teamId
        ? `The org ${newOrgId} is already connected as "${holder.name}" in your team. Delete one of the two connections first.`
        : `The org ${newOrgId} is already connected to another OrgLink team. An org can belong to one team only.`,
    );
  }
  const credentials = tryOpenCredentials(deps.secrets, row.id, row.credentials);
  if (!credentials) {
    throw new ApiError(
      409,
      ConnectionErrorCode.NotAuthorized,
      `The new tokens of "${row.name}" cannot be decrypted with this server's key. Re-authorize the connection.`,
    );
  }
  const jobIds = deps.db.transaction(() => {
    deps.db
      .update(connections)
      .set({
        externalOrgId: newOrgId,
        pendingOrgId: null,
        orgName: credentials.orgName ?? row.orgName,
        instanceUrl: credentials.kind === 'salesforce' ? credentials.instanceUrl : credentials.environmentUrl,
        status: 'active',
        statusReason: null,
        updatedAt: nowIso(),
      })
      .where(eq(connections.id, row.id))
      .run();
    return releaseHeldJobs(deps.db, row.id);
  });
  publishConnectionChanged(deps, row.id);
  publishJobsChanged(deps, row.teamId, jobIds);
  return requireConnection(deps, caller, row.id);
}

/**
 * A first sign-in that ends without tokens (declined DPA, access denied, refused or expired): the connection was
 * never connected, so its pending row goes too and nothing of it stays stored; its name is free again. A connection
 * that was connected before keeps its row and state: only its new sign-in failed. Returns whether it was removed.
 */
export function discardNeverConnected(deps: EventDeps, connectionId: string): boolean {
  const removed = deps.db.transaction(() => {
    const row = connectionRowById(deps.db, connectionId);
    if (row?.status !== 'pending' || row.externalOrgId || row.credentials || row.dpaAcceptedAt) return undefined;
    deps.db.delete(connections).where(eq(connections.id, connectionId)).run();
    return row;
  });
  if (!removed) return false;
  publishConnectionDeleted(deps, removed.teamId, connectionId);
  return true;
}

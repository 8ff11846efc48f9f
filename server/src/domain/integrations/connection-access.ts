import { ConnectionErrorCode, IntegrationErrorCode } from '@orglink/shared';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { ApiError } from '../../http-errors.ts';
import { type ConnectionRow, findConnectionRow } from '../connections/connection-repository.ts';

/** A live connection of the caller's team; another team's (or a deleted one) is simply not found. */
export function requireTeamConnection(db: OrgLinkDatabase, teamId: string, connectionId: string): ConnectionRow {
  const row = findConnectionRow(db, teamId, connectionId);
  if (!row || row.deletedAt) {
    throw new ApiError(
      404,
      ConnectionErrorCode.NotFound,
      'There is no such connection in your team. Pick one from the Connections list.',
    );
  }
  return row;
}

/** Why an integration cannot be linked to (or written through) this connection now; undefined when it can. */
export function connectionUnusableBecause(row: ConnectionRow, purpose: 'link' | 'run'): string | undefined {
  if (row.deletedAt) return `The connection "${row.name}" was deleted. Link the Catalog account to a live connection.`;
  if (row.pendingOrgId) {
    return `The connection "${row.name}" is a refreshed sandbox whose Org ID changed. Confirm the org change first.`;
  }
  switch (row.status) {
    case 'active':
      return undefined;
    case 'paused':
      return purpose === 'link' ? undefined : `Connection paused: activate "${row.name}" first, then run the job.`;
    case 'inactive':
      return `Connection inactive: re-authorize "${row.name}" first${row.statusReason ? ` (${row.statusReason})` : ''}.`;
    default:
      return `The connection "${row.name}" has not finished signing in. Complete the sign-in first.`;
  }
}

export function requireUsableConnection(row: ConnectionRow, purpose: 'link' | 'run'): void {
  const problem = connectionUnusableBecause(row, purpose);
  if (problem) throw new ApiError(409, IntegrationErrorCode.ConnectionNotUsable, problem);
}

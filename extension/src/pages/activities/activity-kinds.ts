import { ACTIVITY_LABELS, type ActivityKind, type Connection, QUERY_ACTIVITIES } from '@orglink/shared';

/** The activities as the page offers them: the standard ones (REST) and the bulk ones (Bulk API 2.0). */
export const ACTIVITY_GROUPS: readonly { label: string; kinds: readonly ActivityKind[] }[] = [
  { label: 'Standard', kinds: ['query', 'insert', 'update', 'upsert', 'delete'] },
  {
    label: 'Bulk',
    kinds: ['bulk-query', 'bulk-insert', 'bulk-update', 'bulk-upsert', 'bulk-delete', 'bulk-hard-delete'],
  },
];

export function activityLabel(kind: ActivityKind): string {
  return ACTIVITY_LABELS[kind];
}

export function isQueryActivity(kind: ActivityKind): boolean {
  return QUERY_ACTIVITIES.includes(kind);
}

export function isDeleteActivity(kind: ActivityKind): boolean {
  return kind === 'delete' || kind === 'bulk-delete' || kind === 'bulk-hard-delete';
}

export function isUpsertActivity(kind: ActivityKind): boolean {
  return kind === 'upsert' || kind === 'bulk-upsert';
}

/** "All or none" belongs to sObject Collections; Bulk API 2.0 jobs have no such switch. */
export function offersAllOrNone(kind: ActivityKind): boolean {
  return !kind.startsWith('bulk-') && !isQueryActivity(kind);
}

/** The server refuses activities on Dynamics 365 connections (ACTIVITY_NOT_OFFERED), so the page says so first. */
export function activitiesUnavailableReason(connection: Connection): string | undefined {
  if (connection.kind === 'dynamics') {
    return `“${connection.name}” is a Dynamics 365 connection. Activities need a Salesforce connection: pick one, or connect a Salesforce org on the Connections page.`;
  }
  return undefined;
}

/** The connections an activity can run on now: the team's active ones (paused or inactive ones would be refused). */
export function usableConnections(connections: readonly Connection[]): Connection[] {
  return connections.filter((connection) => connection.status === 'active');
}

export const ACTIVITY_KINDS: readonly ActivityKind[] = ACTIVITY_GROUPS.flatMap((group) => group.kinds);

export function isActivityKind(value: string): value is ActivityKind {
  return (ACTIVITY_KINDS as readonly string[]).includes(value);
}

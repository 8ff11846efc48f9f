import {
  CONNECTION_STATUS_LABELS,
  type Connection,
  type ConnectionStatus,
  DYNAMICS_CLOUD_LABELS,
  type DynamicsCloud,
  type JobState,
  type Role,
} from '@orglink/shared';
import type { PillTone } from '../../ui/status-pill.tsx';

/** "Salesforce Production", "Salesforce Sandbox" or "Dynamics 365 (GCC High)": the choice the admin made. */
export function connectionTypeLabel(connection: Pick<Connection, 'kind' | 'environment'>): string {
  if (connection.kind === 'salesforce') {
    return connection.environment === 'sandbox' ? 'Salesforce Sandbox' : 'Salesforce Production';
  }
  const cloud = DYNAMICS_CLOUD_LABELS[connection.environment as DynamicsCloud] ?? connection.environment;
  return `Dynamics 365 (${cloud})`;
}

/** Salesforce identifies an org by Org ID, Dynamics an environment by its environment ID. */
export function orgIdLabel(connection: Pick<Connection, 'kind'>): string {
  return connection.kind === 'salesforce' ? 'Org ID' : 'Environment ID';
}

const STATUS_TONES: Record<ConnectionStatus, PillTone> = {
  active: 'ok',
  paused: 'neutral',
  inactive: 'error',
  pending: 'pending',
};

export function connectionStatusPill(status: ConnectionStatus): { tone: PillTone; label: string } {
  return { tone: STATUS_TONES[status], label: CONNECTION_STATUS_LABELS[status] };
}

const JOB_STATES: Record<JobState, { tone: PillTone; label: string }> = {
  active: { tone: 'ok', label: 'Active' },
  holding: { tone: 'warn', label: 'Holding' },
  disabled: { tone: 'neutral', label: 'Disabled' },
};

export function jobStatePill(state: JobState): { tone: PillTone; label: string } {
  return JOB_STATES[state];
}

/**
 * A refreshed sandbox comes back with a new Org ID; the server keeps the connection inactive until an admin confirms
 * the change. The new id is in `pendingOrgId` when the server sends it; the reason alone still tells the case.
 */
export function pendingOrgChange(connection: Connection): { newOrgId: string | undefined } | undefined {
  const isSandbox = connection.kind === 'salesforce' && connection.environment === 'sandbox';
  if (!isSandbox || connection.status !== 'inactive') return undefined;
  if (connection.pendingOrgId) return { newOrgId: connection.pendingOrgId };
  return /org id changed/i.test(connection.statusReason ?? '') ? { newOrgId: undefined } : undefined;
}

/** Which state changes make sense now: pausing an active connection, activating a paused one, and so on. */
export function availableActions(connection: Connection) {
  return {
    pause: connection.status === 'active',
    activate: connection.status === 'paused',
    // Testing needs tokens, which a connection has once its first sign-in finished.
    test: connection.status !== 'pending' && connection.orgId !== null,
    authorizeLabel: connection.status === 'pending' ? 'Sign in' : 'Re-authorize',
  };
}

/** Viewers see everything; the controls that change something say why they are not available. */
export function changeDeniedReason(role: Role): string | undefined {
  return role === 'viewer' ? 'Viewers can see connections but not change them; ask a team owner or admin.' : undefined;
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

export function byName(left: Connection, right: Connection): number {
  return left.name.localeCompare(right.name, undefined, { sensitivity: 'base' });
}

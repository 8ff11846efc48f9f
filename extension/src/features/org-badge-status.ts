import type { Connection } from '@orglink/shared';

/** How a CRM page names its org to the background. Salesforce pages send nothing: the background reads the cookie. */
export type OrgPageRequest = { kind: 'salesforce' } | { kind: 'dynamics'; orgId: string };

/** The part of a connection the badge shows: a content script gets no more than it renders. */
export type BadgeConnection = Pick<Connection, 'id' | 'name' | 'status' | 'statusReason'>;

/** The background's answer to "is this page's org connected to my team?" (gate 3). */
export type OrgBadgeStatus =
  /** No API token: the page stays untouched. */
  | { state: 'signed-out' }
  /** The page's org could not be told (no session cookie, no organization id): the page stays untouched. */
  | { state: 'unrecognised' }
  /** The server could not answer: a page without a badge stays untouched; a badge already shown keeps its last state. */
  | { state: 'unavailable'; message: string }
  | { state: 'not-connected' }
  | { state: 'connected'; connection: BadgeConnection };

/** The statuses the badge is shown for; every other one leaves the page as it was. */
export type VisibleBadgeStatus = Extract<OrgBadgeStatus, { state: 'not-connected' | 'connected' }>;

export type ReauthorizeResult = { opened: true } | { opened: false; message: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A Dynamics organization id in one form, lower case without braces, whichever way the page wrote it (Xrm gives
 * `{UPPER-CASE}` in some versions, WhoAmI lower case). Undefined for anything that is not a GUID.
 */
export function normaliseDynamicsOrgId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .toLowerCase();
  return GUID.test(id) ? id : undefined;
}

export function isVisibleStatus(status: OrgBadgeStatus): status is VisibleBadgeStatus {
  return status.state === 'connected' || status.state === 'not-connected';
}

export type BadgeTone = 'ok' | 'warn' | 'error' | 'neutral';

export interface BadgeDescription {
  tone: BadgeTone;
  text: string;
  /** The connection needs a new CRM sign-in, which the badge offers. */
  offerReauthorize: boolean;
}

/** What the pill says, in the words of the issue: Connected (name), Paused, Connection inactive: reason. */
export function describeBadge(status: VisibleBadgeStatus): BadgeDescription {
  if (status.state === 'not-connected') {
    return { tone: 'neutral', text: 'OrgLink: Not connected to your team', offerReauthorize: false };
  }
  const { name, status: connectionStatus, statusReason } = status.connection;
  switch (connectionStatus) {
    case 'active':
      return { tone: 'ok', text: `OrgLink: Connected (${name})`, offerReauthorize: false };
    case 'paused':
      return { tone: 'warn', text: `OrgLink: Paused (${name})`, offerReauthorize: false };
    case 'inactive':
      return {
        tone: 'error',
        text: statusReason ? `OrgLink: Connection inactive: ${statusReason}` : `OrgLink: Connection inactive (${name})`,
        offerReauthorize: true,
      };
    case 'pending':
      return { tone: 'warn', text: `OrgLink: Waiting for sign-in (${name})`, offerReauthorize: true };
  }
}

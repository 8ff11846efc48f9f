import type { AuthorizeResponse, DynamicsCloud } from '@orglink/shared';
import { eq } from 'drizzle-orm';
import { DynamicsSignIn } from '../../crm/dynamics/dynamics-oauth.ts';
import { beginSalesforceSignIn } from '../../crm/salesforce/salesforce-oauth.ts';
import { connections } from '../../db/schema.ts';
import type { Config } from '../../plugins/config.ts';
import { holdScheduledJobs, moveJobs, releaseHeldJobs } from '../jobs/connection-jobs.ts';
import type { Caller } from '../teams/team-service.ts';
import type { AuthorizationFlow, AuthorizationFlows, PendingGrant } from './authorization-flows.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import { publishConnectionChanged, publishConnectionDeleted, publishJobsChanged } from './connection-events.ts';
import { type ConnectionRow, connectionRowById, liveConnectionForOrg } from './connection-repository.ts';
import { sameOrg } from './connection-rules.ts';
import { holdingReason, SANDBOX_REFRESHED_REASON } from './connection-state.ts';
import { type StoredCredentials, sealCredentials, tryOpenCredentials } from './credentials.ts';
import { revokeStoredTokens } from './token-revocation.ts';

export const callbackUrl = (config: Config, kind: 'salesforce' | 'dynamics') =>
  `${config.publicUrl}/oauth/${kind}/callback`;

/**
 * Starts a sign-in for a connection (new or re-authorize). The login URL is this server's /oauth/start page, which
 * sends the browser on to the CRM: the URL the extension opens stays short, and the CRM endpoint is resolved again
 * when the admin actually clicks.
 */
export async function startAuthorization(
  deps: ConnectionDeps,
  flows: AuthorizationFlows,
  caller: Caller,
  row: ConnectionRow,
): Promise<AuthorizeResponse> {
  const base = {
    kind: row.kind,
    connectionId: row.id,
    teamId: row.teamId,
    userId: caller.userId,
    tokenId: caller.tokenId,
  };
  let flow: AuthorizationFlow;
  if (row.kind === 'salesforce') {
    const endpoint = await deps.crm.salesforce({
      environment: row.environment as 'production' | 'sandbox',
      loginHost: row.loginHost,
    });
    flow = flows.create({ ...base, salesforce: { endpoint, codeVerifier: undefined }, dynamics: undefined });
  } else {
    const endpoint = await deps.crm.dynamics(row.environment as DynamicsCloud);
    const signIn = new DynamicsSignIn(endpoint, callbackUrl(deps.config, 'dynamics'));
    flow = flows.create({ ...base, salesforce: undefined, dynamics: { signIn, environments: [] } });
  }
  return {
    loginUrl: `${deps.config.publicUrl}/oauth/start/${flow.id}`,
    expiresAt: new Date(flow.expiresAt).toISOString(),
  };
}

/** The CRM's authorize URL for this flow, with the flow's `state` and a PKCE challenge whose verifier stays here. */
export async function crmAuthorizeUrl(deps: ConnectionDeps, flow: AuthorizationFlow): Promise<string> {
  flow.authorizeUrl ??= await makeAuthorizeUrl(deps, flow);
  return flow.authorizeUrl;
}

async function makeAuthorizeUrl(deps: ConnectionDeps, flow: AuthorizationFlow): Promise<string> {
  if (flow.salesforce) {
    const started = beginSalesforceSignIn(flow.salesforce.endpoint, callbackUrl(deps.config, 'salesforce'), flow.state);
    flow.salesforce.codeVerifier = started.codeVerifier;
    return started.authorizeUrl;
  }
  if (flow.dynamics) return flow.dynamics.signIn.authorizeUrl(flow.state);
  throw new Error(`flow ${flow.id} has no CRM`);
}

/** Whose grant for which connection: a browser sign-in's flow, or a classic login (classic-connections.ts). */
export type GrantOwner = Pick<AuthorizationFlow, 'connectionId' | 'userId'>;

export type GrantAssessment =
  | { outcome: 'refused'; status: number; title: string; message: string }
  | {
      outcome: 'acceptable';
      plan: 'authorize' | 'takeover' | 'sandbox-refreshed';
      connection: ConnectionRow;
      /** takeover: the team's older connection to the same org, which this one replaces. */
      replaced: ConnectionRow | undefined;
    };

const orgLabel = (name: string | null, orgId: string) => (name ? `${name} (${orgId})` : orgId);

/**
 * What accepting this grant would do, or why it cannot be accepted. Checked when the sign-in returns (so the DPA is
 * never shown for an org that cannot be connected) and again, inside the transaction, when the DPA is accepted.
 */
export function assessGrant(deps: ConnectionDeps, flow: GrantOwner, grant: PendingGrant): GrantAssessment {
  const connection = connectionRowById(deps.db, flow.connectionId);
  if (!connection || connection.deletedAt) {
    return {
      outcome: 'refused',
      status: 410,
      title: 'This connection was deleted',
      message:
        'The connection was deleted while you were signing in. Nothing was stored; create a new connection to connect this org.',
    };
  }
  const holder = liveConnectionForOrg(deps.db, grant.orgId);
  const org = orgLabel(grant.orgName, grant.orgId);
  if (holder && holder.teamId !== connection.teamId) {
    return {
      outcome: 'refused',
      status: 409,
      title: 'This org is connected to another team',
      message: `${org} is already connected to another OrgLink team, and an org can belong to one team only. Nothing was stored. Ask that team to delete its connection, or sign in to another org.`,
    };
  }
  if (connection.externalOrgId && !sameOrg(connection.externalOrgId, grant.orgId)) {
    if (connection.kind === 'salesforce' && connection.environment === 'sandbox') {
      if (holder && holder.id !== connection.id) {
        return {
          outcome: 'refused',
          status: 409,
          title: 'This org already has a connection',
          message: `${org} is already connected as "${holder.name}" in your team. Nothing was stored. Re-authorize that connection instead, or delete it first.`,
        };
      }
      return { outcome: 'acceptable', plan: 'sandbox-refreshed', connection, replaced: undefined };
    }
    return {
      outcome: 'refused',
      status: 409,
      title: 'You signed in to a different org',
      message: `"${connection.name}" is connected to ${orgLabel(connection.orgName, connection.externalOrgId)}, but you signed in to ${org}. Nothing was stored. Sign in to the connection's own org, or create a new connection for this one.`,
    };
  }
  if (holder && holder.id !== connection.id) {
    return { outcome: 'acceptable', plan: 'takeover', connection, replaced: holder };
  }
  return { outcome: 'acceptable', plan: 'authorize', connection, replaced: undefined };
}

export type AcceptOutcome =
  | { outcome: 'refused'; status: number; title: string; message: string }
  | { outcome: 'connected'; connectionName: string; org: string; replacedName: string | undefined }
  | { outcome: 'sandbox-refreshed'; connectionName: string; previousOrgId: string; newOrgId: string };

const instanceUrlOf = (credentials: StoredCredentials) =>
  credentials.kind === 'salesforce' ? credentials.instanceUrl : credentials.environmentUrl;

/**
 * The admin accepted the DPA: store the sealed tokens and the org, record who accepted and when, and apply the plan.
 * - authorize: a first sign-in or a re-authorize of the same org; held jobs resume (a paused connection stays paused).
 * - takeover: the team already had a connection to this org; this one takes its settings, its jobs and its sandbox
 *   links, and the old one is deleted (its history stays).
 * - sandbox-refreshed: the sandbox's Org ID changed; the new tokens are kept but the connection stays inactive, with
 *   pendingOrgId, until an admin confirms (confirmOrgChange).
 */
export async function acceptGrant(deps: ConnectionDeps, flow: GrantOwner, grant: PendingGrant): Promise<AcceptOutcome> {
  const now = new Date().toISOString();
  const dropped: { row: ConnectionRow; credentials: StoredCredentials }[] = [];
  const keepDropped = (row: ConnectionRow) => {
    const credentials = tryOpenCredentials(deps.secrets, row.id, row.credentials);
    if (credentials) dropped.push({ row, credentials });
  };
  const result = deps.db.transaction(() => {
    const assessment = assessGrant(deps, flow, grant);
    if (assessment.outcome === 'refused') return { assessment, jobIds: [] as string[], relinked: [] as string[] };
    const { connection, replaced, plan } = assessment;
    keepDropped(connection);
    const sealed = sealCredentials(deps.secrets, connection.id, grant.credentials);
    const accepted = { dpaAcceptedBy: flow.userId, dpaAcceptedAt: now, credentials: sealed, updatedAt: now };
    if (plan === 'sandbox-refreshed') {
      deps.db
        .update(connections)
        .set({ ...accepted, pendingOrgId: grant.orgId, status: 'inactive', statusReason: SANDBOX_REFRESHED_REASON })
        .where(eq(connections.id, connection.id))
        .run();
      const jobIds = holdScheduledJobs(
        deps.db,
        connection.id,
        holdingReason(connection.name, SANDBOX_REFRESHED_REASON),
      );
      return { assessment, jobIds, relinked: [] };
    }
    let jobIds: string[] = [];
    const relinked: string[] = [];
    const settings: Partial<typeof connections.$inferInsert> = {};
    if (replaced) {
      keepDropped(replaced);
      deps.db
        .update(connections)
        .set({ deletedAt: now, credentials: null, updatedAt: now })
        .where(eq(connections.id, replaced.id))
        .run();
      jobIds = moveJobs(deps.db, replaced.id, connection.id);
      settings.autoRunDuplicateCheck = replaced.autoRunDuplicateCheck;
      if (replaced.linkedProductionId && replaced.linkedProductionId !== connection.id) {
        settings.linkedProductionId = replaced.linkedProductionId;
      }
      relinked.push(
        ...deps.db
          .update(connections)
          .set({ linkedProductionId: connection.id, updatedAt: now })
          .where(eq(connections.linkedProductionId, replaced.id))
          .returning({ id: connections.id })
          .all()
          .map((entry) => entry.id),
      );
    }
    // A pause is the admin's decision and outlives a spell of "inactive": new tokens do not undo it.
    const status = connection.status === 'paused' || connection.pausedAt ? 'paused' : 'active';
    deps.db
      .update(connections)
      .set({
        ...accepted,
        ...settings,
        externalOrgId: grant.orgId,
        orgName: grant.orgName ?? connection.orgName,
        instanceUrl: instanceUrlOf(grant.credentials),
        pendingOrgId: null,
        status,
        statusReason: null,
      })
      .where(eq(connections.id, connection.id))
      .run();
    if (status === 'active') jobIds = [...new Set([...jobIds, ...releaseHeldJobs(deps.db, connection.id)])];
    return { assessment, jobIds, relinked };
  });

  const { assessment } = result;
  if (assessment.outcome === 'refused') {
    await revokeGrant(deps, flow, grant);
    return assessment;
  }
  const { connection, replaced, plan } = assessment;
  if (replaced) publishConnectionDeleted(deps, replaced.teamId, replaced.id);
  publishConnectionChanged(deps, connection.id);
  for (const id of result.relinked) publishConnectionChanged(deps, id);
  publishJobsChanged(deps, connection.teamId, result.jobIds);
  for (const { row, credentials } of dropped) await revokeStoredTokens(deps, row, credentials);
  if (plan === 'sandbox-refreshed') {
    return {
      outcome: 'sandbox-refreshed',
      connectionName: connection.name,
      previousOrgId: connection.externalOrgId ?? '',
      newOrgId: grant.orgId,
    };
  }
  return {
    outcome: 'connected',
    connectionName: connection.name,
    org: orgLabel(grant.orgName, grant.orgId),
    replacedName: replaced?.name,
  };
}

/** A declined, refused or abandoned grant: its tokens are revoked where the CRM allows it, and forgotten. */
export async function revokeGrant(deps: ConnectionDeps, flow: GrantOwner, grant: PendingGrant): Promise<void> {
  const connection = connectionRowById(deps.db, flow.connectionId);
  if (!connection) return;
  await revokeStoredTokens(deps, connection, grant.credentials);
}

import type { ConnectionTestResult } from '@orglink/shared';
import { CrmAuthorizationLost } from '../../crm/crm-client.ts';
import type { Caller } from '../teams/team-service.ts';
import { testClassicConnection } from './classic-connections.ts';
import type { ConnectionClients } from './connection-clients.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import { loadConnection } from './connection-repository.ts';
import { sameOrg } from './connection-rules.ts';
import { requireLiveConnection } from './connection-service.ts';

/**
 * Test: one identity (Salesforce) or WhoAmI (Dynamics) call through the stored tokens, refreshing them as needed.
 * A refusal marks the connection inactive (inside the client); any other failure changes nothing.
 */
export async function testConnection(
  deps: ConnectionDeps,
  clients: ConnectionClients,
  caller: Caller,
  id: string,
): Promise<ConnectionTestResult> {
  const row = requireLiveConnection(deps, caller, id);
  if (row.authMethod !== 'oauth') return testClassicConnection(deps, clients, row);
  const client = await clients.open(row.id);
  const crm = row.kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365';
  const started = performance.now();
  let ok = false;
  let message: string;
  try {
    const identity = await client.identify();
    ok = sameOrg(identity.orgId, row.externalOrgId);
    message = ok
      ? `${crm} answered: the tokens work for ${row.orgName ?? row.externalOrgId}.`
      : `${crm} answered for a different org (${identity.orgId}) than this connection's (${row.externalOrgId}). Re-authorize the connection.`;
  } catch (error) {
    message =
      error instanceof CrmAuthorizationLost
        ? `${crm} refused the stored tokens (${error.reason}). The connection is now inactive; re-authorize it.`
        : `${crm} could not be reached (${(error as Error).message}). Nothing changed; try again later.`;
  }
  const latencyMs = Math.max(0, Math.round(performance.now() - started));
  const connection = loadConnection(deps.db, row.id);
  if (!connection) throw new Error(`connection ${row.id} vanished during its test`);
  return { ok, latencyMs, message, connection };
}

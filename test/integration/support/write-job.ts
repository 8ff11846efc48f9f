import { randomUUID } from 'node:crypto';
import { FINAL_RUN_STATUSES, type JobRun } from '@orglink/shared';
import { integrations, jobs } from '../../../server/src/db/schema.ts';
import type { CatalogAccount } from '../../sim/catalog/index.ts';
import type { Sandbox } from '../../sim/sandbox.ts';
import { apiAs, type Member, type OrgLinkApp } from './orglink.ts';

export const DEFAULT_FIELD_MAP = [
  { target: 'FirstName', source: 'first_name' },
  { target: 'LastName', source: 'last_name' },
  { target: 'Email', source: 'email_address' },
];

/**
 * An integration and its write job, written straight into the database (as the integrations API stores them), so
 * runner tests do not depend on the linking flow.
 */
export function createIntegration(
  app: OrgLinkApp,
  sandbox: Sandbox,
  member: Member,
  options: {
    connectionId: string;
    /** A sandbox Catalog account, or one of a Catalog simulator of the caller's own (the benchmarks' big ones). */
    account: 'acme' | 'globex' | CatalogAccount;
    matchKey?: 'external-id' | 'email';
    schedule?: string;
    fieldMap?: { target: string; source?: string; constant?: string }[];
  },
) {
  const account = typeof options.account === 'string' ? sandbox.catalog.account(options.account) : options.account;
  const jobId = `job_${randomUUID()}`;
  const integrationId = `int_${randomUUID()}`;
  app.db
    .insert(jobs)
    .values({
      id: jobId,
      teamId: member.teamId,
      connectionId: options.connectionId,
      kind: 'write',
      name: 'Catalog users to Contacts',
      config: { integrationId },
      schedule: options.schedule ?? null,
      createdBy: member.userId,
    })
    .run();
  app.db
    .insert(integrations)
    .values({
      id: integrationId,
      teamId: member.teamId,
      connectionId: options.connectionId,
      jobId,
      catalogHost: account.hostname,
      catalogToken: app.secrets.seal(account.apiTokens[0] ?? '', integrationId),
      target: 'Contact',
      matchKey: options.matchKey ?? 'external-id',
      externalIdField: 'LMS_User_Id__c',
      fieldMap: options.fieldMap ?? DEFAULT_FIELD_MAP,
      createdBy: member.userId,
    })
    .run();
  return { jobId, integrationId };
}

export function unlinkAll(app: OrgLinkApp) {
  app.db.$client
    .prepare('update integrations set unlinked_at = ? where unlinked_at is null')
    .run(new Date().toISOString());
}

export async function waitForRun(
  app: OrgLinkApp,
  member: Member,
  runId: string,
  until: (run: JobRun) => boolean = (run) => FINAL_RUN_STATUSES.includes(run.status),
  timeoutMs = 25_000,
): Promise<JobRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await apiAs(app, member).get(`/api/runs/${runId}`);
    if (answer.status !== 200) throw new Error(`GET run answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    if (until(answer.body)) return answer.body as JobRun;
    if (Date.now() > deadline) throw new Error(`run still ${answer.body.status}: ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The simulator's Contacts by LMS user id: a duplicate shows as a list longer than one. */
export function contactsByLmsId(sandbox: Sandbox, org = 'acme'): Map<string, Record<string, unknown>[]> {
  const byId = new Map<string, Record<string, unknown>[]>();
  for (const record of sandbox.salesforce.org(org).records('Contact') as unknown as Record<string, unknown>[]) {
    const id = record.LMS_User_Id__c;
    if (typeof id !== 'string' || !id) continue;
    byId.set(id, [...(byId.get(id) ?? []), record]);
  }
  return byId;
}

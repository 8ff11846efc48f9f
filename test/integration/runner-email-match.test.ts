import type { JobRun } from '@orglink/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../sim/sandbox.ts';
import { startWithAcmeConnection } from './support/connect.ts';
import type { Member, RunningOrgLink } from './support/orglink.ts';
import { createIntegration, unlinkAll, waitForRun } from './support/write-job.ts';

let sandbox: Sandbox;
let orglink: RunningOrgLink;
let team: Record<'owner' | 'admin' | 'viewer', Member>;
let connectionId: string;

beforeAll(async () => {
  ({ sandbox, orglink, team, connectionId } = await startWithAcmeConnection());
});
afterEach(() => {
  unlinkAll(orglink.app);
  sandbox.salesforce.faults.reset();
  sandbox.catalog.account('globex').reset();
});
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

type Row = Record<string, unknown>;

const contacts = () => sandbox.salesforce.org('acme').records('Contact') as unknown as Row[];

function contactsByEmail(): Map<string, Row[]> {
  const byEmail = new Map<string, Row[]>();
  for (const row of contacts()) {
    const email = String(row.Email ?? '').toLowerCase();
    if (email) byEmail.set(email, [...(byEmail.get(email) ?? []), row]);
  }
  return byEmail;
}

async function runJob(jobId: string): Promise<JobRun> {
  const run = orglink.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: team.admin.userId });
  return waitForRun(orglink.app, team.viewer, run.id);
}

async function errorsCsv(runId: string): Promise<Map<string, { code: string; message: string }>> {
  const response = await orglink.app.inject({
    method: 'GET',
    url: `/api/runs/${runId}/errors.csv`,
    headers: { authorization: `Bearer ${team.viewer.token}` },
  });
  expect(response.statusCode).toBe(200);
  const [header, ...lines] = parseCsv(response.body);
  expect(header).toEqual(['source_key', 'action', 'target_id', 'error_code', 'message']);
  const errors = new Map<string, { code: string; message: string }>();
  for (const [key = '', action, , code = '', message = ''] of lines) {
    expect(action).toBe('failed');
    errors.set(key, { code, message });
  }
  return errors;
}

/** RFC 4180 rows (quoted cells may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((line) =>
      [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => m[1]?.replaceAll('""', '"') ?? m[2] ?? ''),
    );
}

describe('write job with the Email match key (Salesforce)', () => {
  it('creates unmatched users, updates a single match, refuses an e-mail with several matches', async () => {
    const account = sandbox.catalog.account('globex');
    const byEmail = contactsByEmail();
    const [twiceInCrm, twins] = [...byEmail].find(([, rows]) => rows.length === 2) ?? [];
    const [onceInCrm, [single] = []] = [...byEmail].find(([, rows]) => rows.length === 1) ?? [];
    if (!twiceInCrm || !twins || !onceInCrm || !single) throw new Error('the seeded org lacks the e-mails this needs');
    // Catalog's own near-duplicates: two Catalog users with one e-mail must not become two Contacts (or one guessed).
    const sharing = new Map<string, number[]>();
    for (const user of account.users()) {
      const email = user.email_address.toLowerCase();
      sharing.set(email, [...(sharing.get(email) ?? []), user.id]);
    }
    const shared = [...sharing.values()].filter((ids) => ids.length > 1).flat();
    expect(shared.length).toBeGreaterThan(0);
    const free = account.users().filter((user) => !shared.includes(user.id));
    const [ambiguous, matched, renamed] = free;
    if (!ambiguous || !matched || !renamed) throw new Error('globex has too few users');
    account.updateUser(ambiguous.id, { email_address: twiceInCrm });
    // Case differs from the CRM's: e-mail matching ignores case, as Salesforce does.
    account.updateUser(matched.id, { email_address: onceInCrm.toUpperCase(), last_name: 'Matched' });

    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, {
      connectionId,
      account: 'globex',
      matchKey: 'email',
    });
    const contactsBefore = contacts().length;
    const users = account.users();
    const failures = shared.length + 1;
    const first = await runJob(jobId);
    expect(first.status).toBe('completed-with-errors');
    expect(first.counts).toMatchObject({
      total: users.length,
      processed: users.length,
      created: users.length - failures - 1,
      updated: 1,
      failed: failures,
    });
    expect(contacts()).toHaveLength(contactsBefore + users.length - failures - 1);

    const errors = await errorsCsv(first.id);
    expect([...errors.keys()].sort()).toEqual([ambiguous.id, ...shared].map(String).sort());
    expect(errors.get(String(ambiguous.id))?.code).toBe('DUPLICATE_EMAIL');
    expect(errors.get(String(ambiguous.id))?.message).toContain(`2 Contact records have the e-mail ${twiceInCrm}`);
    for (const id of twins.map((row) => String(row.Id)))
      expect(errors.get(String(ambiguous.id))?.message).toContain(id);
    for (const id of shared) {
      expect(errors.get(String(id))).toMatchObject({ code: 'DUPLICATE_EMAIL' });
      expect(errors.get(String(id))?.message).toMatch(/^Catalog user \d+ has the same e-mail/);
    }
    // The two CRM records of the ambiguous e-mail are untouched.
    const after = contactsByEmail();
    expect(
      after
        .get(twiceInCrm)
        ?.map((row) => row.LastName)
        .sort(),
    ).toEqual(twins.map((row) => row.LastName).sort());
    // The single match was updated in place, not duplicated.
    expect(after.get(onceInCrm)).toHaveLength(1);
    expect(after.get(onceInCrm)?.[0]).toMatchObject({ Id: single.Id, LastName: 'Matched' });
    // Every written user is one Contact with its values; the users sharing an e-mail wrote nothing.
    for (const user of users) {
      const rows = after.get(user.email_address.toLowerCase()) ?? [];
      if (shared.includes(user.id)) expect(rows, `user ${user.id}`).toHaveLength(0);
      else if (user.id !== ambiguous.id) {
        expect(rows, `user ${user.id}`).toHaveLength(1);
        expect(rows[0]).toMatchObject({ FirstName: user.first_name, LastName: user.last_name });
      }
    }

    // Nothing changed: nothing is written; the refused users are refused again, with no write.
    sandbox.salesforce.resetCounters();
    const again = await runJob(jobId);
    expect(again.counts).toMatchObject({
      created: 0,
      updated: 0,
      failed: failures,
      unchanged: users.length - failures,
    });
    expect(sandbox.salesforce.counters().byOrg.acme?.composite ?? 0).toBe(0);

    // A changed user is found again by e-mail and updated by Id.
    account.updateUser(renamed.id, { last_name: 'Renamed' });
    const third = await runJob(jobId);
    expect(third.counts).toMatchObject({ created: 0, updated: 1, failed: failures });
    const renamedRows = contactsByEmail().get(renamed.email_address.toLowerCase());
    expect(renamedRows).toHaveLength(1);
    expect(renamedRows?.[0]?.LastName).toBe('Renamed');
    expect(contacts()).toHaveLength(contactsBefore + users.length - failures - 1);
  });
});

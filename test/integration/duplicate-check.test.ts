import type { DcGroupList, JobRun } from '@orglink/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../sim/sandbox.ts';
import { startWithAcmeConnection } from './support/connect.ts';
import { apiAs, createTeam, type Member, type RunningOrgLink } from './support/orglink.ts';
import { loadRecords, salesforceLoader } from './support/salesforce-loader.ts';
import { waitForRun } from './support/write-job.ts';

let sandbox: Sandbox;
let orglink: RunningOrgLink;
let team: Record<'owner' | 'admin' | 'viewer', Member>;
let connectionId: string;

/** Three real duplicates among people who only look alike, and a Lead who is already a Contact. */
const CONTACTS = [
  { FirstName: 'Jonathan', LastName: 'Smithers', Email: 'jon.smithers@acme-dc.test', Phone: '+1 (415) 555-0101' },
  { FirstName: 'Jon', LastName: 'Smithers', Email: 'Jon.Smithers@acme-dc.test', Phone: '' },
  { FirstName: 'William', LastName: 'Okonkwo', Email: 'w.okonkwo@example-dc.test', Phone: '020 7946 0991' },
  { FirstName: 'Bill', LastName: 'Okonkwo', Email: 'bill@okonkwo-family.test', Phone: '+44 20 7946 0991' },
  { FirstName: 'Maria', LastName: 'Garcia-Lopez', Email: 'maria.garcia.lopez@gmail.com', Phone: '' },
  { FirstName: 'María', LastName: 'Garcia-Lopez', Email: 'mariagarcialopez+crm@gmail.com', Phone: '' },
  { FirstName: 'Maria', LastName: 'Garcia-Lopez', Email: 'mg@other-company.test', Phone: '555 0199' },
  // Same name, nothing else in common: not a duplicate.
  { FirstName: 'Peter', LastName: 'Nakamura', Email: 'peter.nakamura@firm-one.test', Phone: '' },
  { FirstName: 'Peter', LastName: 'Nakamura', Email: 'pnakamura@firm-two.test', Phone: '' },
  { FirstName: 'Alice', LastName: 'Vandermeer', Email: 'alice@vandermeer.test', Phone: '612 555 0123' },
];

const contactId = (email: string) =>
  String(
    sandbox.salesforce
      .org('acme')
      .records('Contact')
      .find((record) => record.Email === email)?.Id,
  );

beforeAll(async () => {
  ({ sandbox, orglink, team, connectionId } = await startWithAcmeConnection());
  const loader = await salesforceLoader(sandbox);
  await loadRecords(loader, 'Contact', CONTACTS);
  await loadRecords(loader, 'Lead', [
    { FirstName: 'Alice', LastName: 'Vandermeer', Email: 'alice@vandermeer.test', Company: 'Vandermeer BV' },
    { FirstName: 'Zed', LastName: 'Unrelated', Email: 'zed@nowhere.test', Company: 'Nowhere' },
  ]);
}, 60_000);
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

const api = (member: Member = team.admin) => apiAs(orglink.app, member);

async function runCheck(body: Record<string, unknown>): Promise<{ run: JobRun; jobId: string }> {
  const answer = await api().post('/api/dc/jobs', { connectionId, ...body });
  if (answer.status !== 201) throw new Error(`refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return {
    run: await waitForRun(orglink.app, team.viewer, answer.body.run.id, undefined, 60_000),
    jobId: answer.body.job.id,
  };
}

async function groupsOf(runId: string): Promise<DcGroupList> {
  const answer = await api(team.viewer).get(`/api/dc/runs/${runId}/groups`);
  expect(answer.status).toBe(200);
  return answer.body;
}

const ourGroups = (list: DcGroupList) =>
  list.groups.filter((group) =>
    group.records.some(
      (record) =>
        String(record.values.Email ?? '').includes('.test') || String(record.values.Email ?? '').includes('gmail'),
    ),
  );

describe('Duplicate Check jobs against the simulator', () => {
  let firstRun: JobRun;
  let jobId: string;

  it('finds the duplicates with the built-in Contact scenario and explains every pair', async () => {
    const stages: string[] = [];
    const unsubscribe = orglink.app.events.subscribe(team.admin.teamId, (event) => {
      if (event.type === 'run.changed' && event.run.stage) stages.push(event.run.stage);
    });
    ({ run: firstRun, jobId } = await runCheck({ object: 'Contact' }));
    unsubscribe();
    // While matching, the run says what it does; once finished, it says nothing of the kind.
    expect(stages.some((stage) => /^Matching: scoring candidate pairs, \d+%$/.test(stage))).toBe(true);
    expect(stages.some((stage) => /^Saving \d+ groups$/.test(stage))).toBe(true);
    expect(firstRun.stage).toBeUndefined();
    expect(firstRun).toMatchObject({ status: 'completed', kind: 'duplicate-check' });
    const list = await groupsOf(firstRun.id);
    expect(list.summary).toMatchObject({ object: 'Contact', recordsRead: firstRun.counts.total });
    const n = list.summary?.recordsRead ?? 0;
    expect(list.summary?.pairsScored).toBeLessThan((n * (n - 1)) / 2);
    const groups = ourGroups(list);
    const byEmail = groups.map((group) => group.records.map((record) => record.values.Email).sort());
    expect(byEmail).toContainEqual(['Jon.Smithers@acme-dc.test', 'jon.smithers@acme-dc.test']);
    expect(byEmail).toContainEqual(['bill@okonkwo-family.test', 'w.okonkwo@example-dc.test']);
    expect(byEmail.find((emails) => emails.includes('maria.garcia.lopez@gmail.com'))).toEqual(
      expect.arrayContaining(['maria.garcia.lopez@gmail.com', 'mariagarcialopez+crm@gmail.com']),
    );
    expect(byEmail.flat()).not.toContain('peter.nakamura@firm-one.test');
    const bill = groups.find((group) => group.records.some((record) => record.values.FirstName === 'Bill'));
    const reasons = bill?.pairs[0]?.fields ?? [];
    expect(reasons.find((field) => field.field === 'FirstName')).toMatchObject({ method: 'name-variant', score: 100 });
    expect(reasons.find((field) => field.field === 'Phone')?.score).toBeGreaterThanOrEqual(90);
    expect(reasons.find((field) => field.field === 'MobilePhone')).toMatchObject({ score: null });
    expect(bill?.pairs[0]?.scenarioName).toBe('Contacts: name and phone');
    for (const group of groups) {
      for (const pair of group.pairs) expect(pair.score).toBeGreaterThanOrEqual(75);
    }
  }, 60_000);

  it('exports the groups as CSV and shows a record its matches for the badge', async () => {
    const csv = await orglink.app.inject({
      method: 'GET',
      url: `/api/runs/${firstRun.id}/results.csv`,
      headers: { authorization: `Bearer ${team.viewer.token}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\r\n')[0]).toContain('group,group_score,record_id');
    expect(csv.body).toContain(contactId('w.okonkwo@example-dc.test'));
    const id = contactId('jon.smithers@acme-dc.test');
    const matches = await api(team.viewer).get(`/api/dc/records/${id}/matches?connection=${connectionId}`);
    expect(matches.status).toBe(200);
    expect(matches.body).toMatchObject({ recordId: id, runId: firstRun.id });
    expect(matches.body.matches).toHaveLength(1);
    // A 15-character Id (as in classic URLs) finds the same record.
    const short = await api(team.viewer).get(`/api/dc/records/${id.slice(0, 15)}/matches?connection=${connectionId}`);
    expect(short.body).toMatchObject({ recordId: id, matches: [{ name: 'Jon Smithers' }] });
    expect((await api(team.viewer).get(`/api/dc/runs/${firstRun.id}/groups?cursor=99999999999999999999`)).status).toBe(
      400,
    );
    expect(matches.body.matches[0]).toMatchObject({
      recordId: contactId('Jon.Smithers@acme-dc.test'),
      name: 'Jon Smithers',
    });
    const none = await api(team.viewer).get(
      `/api/dc/records/${contactId('alice@vandermeer.test')}/matches?connection=${connectionId}`,
    );
    expect(none.body.matches).toEqual([]);
  });

  it('keeps a dismissed pair out of the next run', async () => {
    const list = await groupsOf(firstRun.id);
    const bill = ourGroups(list).find((group) => group.records.some((record) => record.values.FirstName === 'Bill'));
    const pair = bill?.pairs[0];
    expect(pair).toBeDefined();
    expect((await api(team.viewer).post(`/api/dc/pairs/${pair?.id}/dismiss`)).status).toBe(403);
    const dismissed = await api().post(`/api/dc/pairs/${pair?.id}/dismiss`);
    expect(dismissed.body).toMatchObject({ id: pair?.id, dismissed: true });
    const again = await api().post(`/api/jobs/${jobId}/run`);
    expect(again.status).toBe(201);
    const second = await waitForRun(orglink.app, team.viewer, again.body.id, undefined, 60_000);
    const next = await groupsOf(second.id);
    expect(next.summary?.pairsDismissed).toBe(1);
    const emails = ourGroups(next).flatMap((group) => group.records.map((record) => record.values.Email));
    expect(emails).not.toContain('bill@okonkwo-family.test');
    expect(emails).toContain('Jon.Smithers@acme-dc.test');
    // The dismissal covers the earlier run's results and its badge too.
    const earlier = await groupsOf(firstRun.id);
    const earlierPair = earlier.groups.flatMap((group) => group.pairs).find((candidate) => candidate.id === pair?.id);
    expect(earlierPair?.dismissed).toBe(true);
    const billId = contactId('bill@okonkwo-family.test');
    const badge = await api(team.viewer).get(`/api/dc/records/${billId}/matches?connection=${connectionId}`);
    expect(badge.body.matches).toEqual([]);
    // Undo: the pair may come back in later runs.
    expect((await api().post(`/api/dc/pairs/${pair?.id}/restore`)).body).toMatchObject({ dismissed: false });
  }, 60_000);

  it('matches Leads against Contacts', async () => {
    const { run } = await runCheck({ object: 'Lead-Contact' });
    const list = await groupsOf(run.id);
    const alice = list.groups.find((group) => group.records.some((record) => record.name === 'Alice Vandermeer'));
    expect(alice?.records.map((record) => record.object).sort()).toEqual(['Contact', 'Lead']);
    expect(list.groups.flatMap((group) => group.records.map((record) => record.name))).not.toContain('Zed Unrelated');
  }, 60_000);

  it('keeps other teams out and viewers read-only', async () => {
    const other = createTeam(orglink.app, 'other-dc');
    expect((await api(other.admin).get(`/api/dc/runs/${firstRun.id}/groups`)).status).toBe(404);
    const pairId = (await groupsOf(firstRun.id)).groups[0]?.pairs[0]?.id;
    expect((await api(other.admin).post(`/api/dc/pairs/${pairId}/dismiss`)).status).toBe(404);
    expect(
      (
        await api(other.admin).get(
          `/api/dc/records/${contactId('alice@vandermeer.test')}/matches?connection=${connectionId}`,
        )
      ).status,
    ).toBe(404);
    expect((await api(team.viewer).post('/api/dc/jobs', { connectionId, object: 'Contact' })).status).toBe(403);
  });
});

describe('scenarios: bad input changes nothing', () => {
  const rules = [
    { field: 'LastName', method: 'jaro-winkler', weight: 50 },
    { field: 'Email', method: 'email', weight: 50 },
  ];

  it('names an unknown field, an unknown method and a threshold outside 0-100', async () => {
    const before = (await api().get('/api/dc/scenarios')).body.scenarios.length;
    const field = await api().post('/api/dc/scenarios', {
      name: 'Bad field',
      object: 'Contact',
      rules: [...rules, { field: 'Shoe_Size', method: 'exact' }],
    });
    expect(field.status).toBe(400);
    expect(field.body.error).toMatchObject({ code: 'DC_SCENARIO_INVALID' });
    expect(field.body.error.message).toContain('Shoe_Size');
    const method = await api().post('/api/dc/scenarios', {
      name: 'Bad method',
      object: 'Contact',
      rules: [...rules, { field: 'FirstName', method: 'soundex' }],
    });
    expect(method.status).toBe(400);
    expect(method.body.error.message).toContain('"soundex" is not a matching method');
    for (const threshold of [101, -1]) {
      const answer = await api().post('/api/dc/scenarios', {
        name: 'Bad threshold',
        object: 'Contact',
        rules,
        threshold,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(/0 to 100/);
    }
    expect((await api().get('/api/dc/scenarios')).body.scenarios).toHaveLength(before);
  });

  it('a custom scenario runs, and a field the org lacks is refused before any run', async () => {
    const created = await api().post('/api/dc/scenarios', {
      name: 'E-mail only',
      object: 'Contact',
      rules: [{ field: 'Email', method: 'email', weight: 100 }],
      threshold: 95,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ builtIn: false, threshold: 95 });
    const { run } = await runCheck({ object: 'Contact', scenarioIds: [created.body.id] });
    const emails = (await groupsOf(run.id)).groups.flatMap((group) =>
      group.records.map((record) => record.values.Email),
    );
    expect(emails).toContain('Jon.Smithers@acme-dc.test');
    expect(emails).not.toContain('bill@okonkwo-family.test');
    const custom = await api().post('/api/dc/scenarios', {
      name: 'Missing custom field',
      object: 'Contact',
      rules: [{ field: 'Shoe_Size__c', method: 'exact' }],
    });
    expect(custom.status).toBe(201);
    const refused = await api().post('/api/dc/jobs', {
      connectionId,
      object: 'Contact',
      scenarioIds: [custom.body.id],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('Contact.Shoe_Size__c');
    const wrongObject = await api().post('/api/dc/jobs', {
      connectionId,
      object: 'Lead',
      scenarioIds: [created.body.id],
    });
    expect(wrongObject.status).toBe(400);
    expect((await api().delete('/api/dc/scenarios/builtin-contact-email')).status).toBe(409);
  }, 60_000);
});

describe('scheduled Duplicate Checks and the auto-run setting', () => {
  it('waits in Holding for an admin while auto-run is off, and runs by itself once it is on', async () => {
    const created = await api().post('/api/dc/jobs', { connectionId, object: 'Account', schedule: '*/5 * * * *' });
    expect(created.status).toBe(201);
    expect(created.body.run).toBeNull();
    const jobId = created.body.job.id;
    const [held] = orglink.app.runner.scheduler.catchUp(new Date(Date.now() + 10 * 60_000));
    expect(held).toMatchObject({ jobId, status: 'holding', awaitingStart: true });
    expect(held?.errorMessage).toContain('Auto-run Duplicate Check jobs');
    // It stays held even though the connection is active.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await api().get(`/api/runs/${held?.id}`)).body.status).toBe('holding');
    expect((await api(team.viewer).post(`/api/runs/${held?.id}/start`)).status).toBe(403);
    const started = await api().post(`/api/runs/${held?.id}/start`);
    expect(started.status).toBe(200);
    expect((await waitForRun(orglink.app, team.viewer, held?.id ?? '', undefined, 60_000)).status).toBe('completed');
    expect((await api().post(`/api/runs/${held?.id}/start`)).status).toBe(409);

    // A held run is released the moment auto-run is switched on.
    const [heldAgain] = orglink.app.runner.scheduler.catchUp(new Date(Date.now() + 15 * 60_000));
    expect(heldAgain).toMatchObject({ status: 'holding', awaitingStart: true });
    expect((await api().patch(`/api/connections/${connectionId}`, { autoRunDuplicateCheck: true })).status).toBe(200);
    expect((await waitForRun(orglink.app, team.viewer, heldAgain?.id ?? '', undefined, 60_000)).status).toBe(
      'completed',
    );
    const [queued] = orglink.app.runner.scheduler.catchUp(new Date(Date.now() + 30 * 60_000));
    expect(queued).toMatchObject({ jobId, status: 'queued', awaitingStart: false });
    expect((await waitForRun(orglink.app, team.viewer, queued?.id ?? '', undefined, 60_000)).status).toBe('completed');
  }, 90_000);
});

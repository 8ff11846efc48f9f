import { describe, expect, it } from 'vitest';
import { errorReply } from '../api/local-test-server.ts';
import { sampleConnection, sampleJob } from '../api/test-fixtures.ts';
import { sendMessage } from '../messaging.ts';
import { sampleDcRun, sampleGroupList, samplePair, sampleScenario } from '../pages/duplicates/dc-fixtures.ts';
import type { BadgeBrowser, BadgeSender } from './badge-handlers.ts';
import { recordDuplicatesFor, registerDcHandlers } from './dc-handlers.ts';
import { handlerTestServer } from './handler-test-server.ts';

const TOKEN = 'oltok_dc_handlers_token_0123456789';
const ORG = '00D5e000000Acme';
const RECORD = '003000000000001AAA';

const browserApi: BadgeBrowser = {
  cookies: {
    get: async ({ url }) => (new URL(url).hostname === 'acme.my.salesforce.com' ? { value: `${ORG}!session` } : null),
  },
  cookieStoreOf: async () => '0',
};
const recordTab: BadgeSender = {
  tab: { id: 7 },
  frameId: 0,
  url: `https://acme.lightning.force.com/lightning/r/Contact/${RECORD}/view`,
};

const { api, answers } = handlerTestServer(() => registerDcHandlers(browserApi), { token: TOKEN });

describe('Duplicate Check messages', () => {
  it('lists the scenarios of one object with the token', async () => {
    answers['GET /api/dc/scenarios?object=Lead-Contact'] = () => ({
      body: { scenarios: [sampleScenario({ object: 'Lead-Contact' })] },
    });
    const listed = await sendMessage('listDcScenarios', 'Lead-Contact');
    expect(listed).toMatchObject({ ok: true, data: { scenarios: [{ object: 'Lead-Contact', builtIn: true }] } });
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('refuses an unknown object, a malformed job and a bad scenario before calling the server', async () => {
    expect(await sendMessage('listDcScenarios', 'Opportunity' as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /Contact, Lead, Account/ },
    });
    expect(
      await sendMessage('createDcJob', { connectionId: 'c-1', object: 'Contact', scenarioIds: [] } as never),
    ).toMatchObject({ ok: false, error: { message: /scenarioIds/ } });
    expect(
      await sendMessage('createDcScenario', { name: 'Mine', object: 'Contact', rules: [] } as never),
    ).toMatchObject({ ok: false, error: { message: /rules/ } });
    expect(await sendMessage('getDcGroups', { runId: 'run-dc', cursor: 'DROP' })).toMatchObject({ ok: false });
    expect(await sendMessage('dismissDcPair', '')).toMatchObject({ ok: false, error: { message: /pair/ } });
    expect(api.requests).toHaveLength(0);
  });

  it('creates a job that runs now, and keeps the API refusal of a bad schedule as it is', async () => {
    const run = sampleDcRun({ status: 'queued', duplicates: null });
    const job = sampleJob({ id: 'job-dc', kind: 'duplicate-check', schedule: null });
    answers['POST /api/dc/jobs'] = () => ({ status: 201, body: { job, run } });
    expect(await sendMessage('createDcJob', { connectionId: 'c-1', object: 'Contact' })).toEqual({
      ok: true,
      data: { job, run },
    });
    expect(api.requests[0]?.body).toEqual({ connectionId: 'c-1', object: 'Contact' });

    answers['POST /api/dc/jobs'] = () => errorReply(400, 'JOB_SCHEDULE_INVALID', 'The schedule is not a cron.');
    expect(
      await sendMessage('createDcJob', { connectionId: 'c-1', object: 'Contact', schedule: 'daily' }),
    ).toMatchObject({ ok: false, status: 400, error: { code: 'JOB_SCHEDULE_INVALID' } });
  });

  it('runs a defined job, starts a held run, pages groups, dismisses and restores a pair', async () => {
    answers['POST /api/jobs/job-dc/run'] = () => ({ status: 201, body: sampleDcRun({ status: 'queued' }) });
    answers['POST /api/runs/run-held/start'] = () => ({ body: sampleDcRun({ id: 'run-held', status: 'queued' }) });
    answers['GET /api/dc/runs/run-dc/groups?cursor=20&limit=20'] = () => ({ body: sampleGroupList() });
    answers['POST /api/dc/pairs/pair-1/dismiss'] = () => ({ body: samplePair({ dismissed: true }) });
    answers['POST /api/dc/pairs/pair-1/restore'] = () => ({ body: samplePair() });

    expect(await sendMessage('runJob', 'job-dc')).toMatchObject({ ok: true, data: { status: 'queued' } });
    expect(await sendMessage('startRun', 'run-held')).toMatchObject({ ok: true, data: { id: 'run-held' } });
    expect(await sendMessage('getDcGroups', { runId: 'run-dc', cursor: '20' })).toMatchObject({
      ok: true,
      data: { groups: [{ id: 'group-1' }] },
    });
    expect(await sendMessage('dismissDcPair', 'pair-1')).toMatchObject({ ok: true, data: { dismissed: true } });
    expect(await sendMessage('restoreDcPair', 'pair-1')).toMatchObject({ ok: true, data: { dismissed: false } });
  });

  it('says so when the server answers something that is not the contract', async () => {
    answers['GET /api/dc/runs/run-dc/groups?limit=20'] = () => ({ body: { groups: 'none' } });
    expect(await sendMessage('getDcGroups', { runId: 'run-dc' })).toMatchObject({
      ok: false,
      error: { code: 'UNEXPECTED_RESPONSE' },
    });
  });

  it('edits and deletes a custom scenario', async () => {
    answers['PATCH /api/dc/scenarios/sc-9'] = () => ({ body: sampleScenario({ id: 'sc-9', builtIn: false }) });
    answers['DELETE /api/dc/scenarios/sc-9'] = () => ({ status: 204 });
    expect(await sendMessage('updateDcScenario', { id: 'sc-9', patch: { threshold: 80 } })).toMatchObject({
      ok: true,
      data: { id: 'sc-9' },
    });
    expect(api.requests[0]?.body).toEqual({ threshold: 80 });
    expect(await sendMessage('deleteDcScenario', 'sc-9')).toEqual({ ok: true, data: null });
  });
});

describe('recordDuplicatesFor', () => {
  const lookup = `GET /api/connections/lookup?orgId=${ORG}`;
  const matches = `GET /api/dc/records/${RECORD}/matches?connection=${sampleConnection().id}`;

  it("finds the page's connection from its cookie and asks for the record's matches", async () => {
    answers[lookup] = () => ({ body: { connection: sampleConnection() } });
    const match = {
      pairId: 'pair-1',
      recordId: '003000000000002AAA',
      object: 'Contact',
      name: 'Bill Gates',
      score: 92.5,
      reasons: ['name variant: Bill = William'],
    };
    answers[matches] = () => ({
      body: { recordId: RECORD, runId: 'run-dc', finishedAt: '2030-01-01T10:00:09.000Z', matches: [match] },
    });
    expect(await recordDuplicatesFor({ recordId: RECORD }, recordTab, browserApi)).toEqual({
      state: 'matches',
      runId: 'run-dc',
      finishedAt: '2030-01-01T10:00:09.000Z',
      matches: [match],
    });
  });

  it('asks nothing for a malformed record id, an org not connected, or a sender that is no Salesforce page', async () => {
    expect(await recordDuplicatesFor({ recordId: 'x/../../me' }, recordTab, browserApi)).toEqual({ state: 'none' });
    expect(api.requests).toHaveLength(0);
    answers[lookup] = () => ({ body: { connection: null } });
    expect(await recordDuplicatesFor({ recordId: RECORD }, recordTab, browserApi)).toEqual({ state: 'none' });
    const elsewhere = { ...recordTab, url: 'https://evil.example.com/lightning/r/Contact/x/view' };
    expect(await recordDuplicatesFor({ recordId: RECORD }, elsewhere, browserApi)).toEqual({ state: 'none' });
    expect(api.requests.map((request) => request.path)).toEqual([`/api/connections/lookup?orgId=${ORG}`]);
  });

  it('reports a failing server as unavailable', async () => {
    answers[lookup] = () => ({ body: { connection: sampleConnection() } });
    answers[matches] = () => errorReply(503, 'CRM_UNAVAILABLE', 'The server is busy.');
    expect(await recordDuplicatesFor({ recordId: RECORD }, recordTab, browserApi)).toEqual({
      state: 'unavailable',
      message: 'The server is busy.',
    });
  });
});

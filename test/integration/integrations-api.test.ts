import type { CrmField, Integration } from '@orglink/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { connectDynamics, connectSalesforce } from './support/connect.ts';
import {
  apiAs,
  createTeam,
  type Member,
  type OrgLinkApp,
  type RunningOrgLink,
  recordEvents,
  rows,
  startOrgLink,
} from './support/orglink.ts';

let sandbox: Sandbox;
let orglink: RunningOrgLink;
let app: OrgLinkApp;
let team: ReturnType<typeof createTeam>;
let otherTeam: ReturnType<typeof createTeam>;
let salesforceId: string;
let dynamicsId: string;
let acmeToken: string;
let globexToken: string;

const ACME = 'acme.catalog.instructure.com';
const GLOBEX = 'globex.catalog.canvaslms.com';

beforeAll(async () => {
  sandbox = await startSandbox();
  orglink = await startOrgLink({ SANDBOX_URL: sandbox.url });
  app = orglink.app;
  team = createTeam(app, 'Integrations team');
  otherTeam = createTeam(app, 'Other team');
  salesforceId = (await connectSalesforce(app, sandbox, team.admin, { name: 'Acme SF', org: 'acme' })).connection.id;
  dynamicsId = (await connectDynamics(app, team.admin, { name: 'Contoso D365' })).connection.id;
  acmeToken = sandbox.catalog.account('acme').apiTokens[0] ?? '';
  globexToken = sandbox.catalog.account('globex').apiTokens[0] ?? '';
});
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

const api = (member: Member) => apiAs(app, member);
const storedCounts = () => ({
  integrations: rows(app, 'select count(*) as n from integrations')[0]?.n,
  writeJobs: rows(app, "select count(*) as n from jobs where kind = 'write'")[0]?.n,
});

/** Links and immediately unlinks afterwards, so each test starts with the account free. */
async function withLink<T>(body: Record<string, unknown>, work: (integration: Integration) => Promise<T>): Promise<T> {
  const created = await api(team.admin).post('/api/integrations', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  try {
    return await work(created.body);
  } finally {
    await api(team.admin).delete(`/api/integrations/${created.body.id}`);
  }
}

describe('GET /api/crm/:connectionId/objects/:name/fields', () => {
  it('describes a Salesforce object for a viewer, with External IDs and what can be written', async () => {
    const answer = await api(team.viewer).get(`/api/crm/${salesforceId}/objects/Contact/fields`);
    expect(answer.status).toBe(200);
    expect(answer.body.object).toBe('Contact');
    const byName = new Map(answer.body.fields.map((field: { name: string }) => [field.name, field]));
    expect(byName.get('LMS_User_Id__c')).toMatchObject({ type: 'string', externalId: true, createable: true });
    expect(byName.get('LastName')).toMatchObject({ required: true, createable: true, updateable: true });
    expect(byName.get('IsEmailBounced')).toMatchObject({ createable: false, updateable: false });
  });

  it('describes a Dynamics table by its lowercase logical name, alternate-key columns as External IDs', async () => {
    const answer = await api(team.viewer).get(`/api/crm/${dynamicsId}/objects/Contact/fields`);
    expect(answer.status).toBe(200);
    expect(answer.body.object).toBe('contact');
    const byName = new Map(answer.body.fields.map((field: { name: string }) => [field.name, field]));
    expect(byName.get('lms_userid')).toMatchObject({ externalId: true, type: 'string', length: 100 });
    expect(byName.get('emailaddress1')).toMatchObject({ createable: true, length: 100 });
    expect(byName.get('contactid')).toMatchObject({ unique: true });
  });

  it('answers 404 for an unknown object and for another team', async () => {
    for (const [connectionId, name] of [
      [salesforceId, 'Spaceship__c'],
      [dynamicsId, 'spaceship'],
    ]) {
      const unknown = await api(team.viewer).get(`/api/crm/${connectionId}/objects/${name}/fields`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('CRM_OBJECT_NOT_FOUND');
      expect(unknown.body.error.message).toContain(`"${name}" does not exist`);
    }
    const foreign = await api(otherTeam.admin).get(`/api/crm/${salesforceId}/objects/Contact/fields`);
    expect(foreign.status).toBe(404);
  });
});

describe('linking a Catalog account', () => {
  it('refuses a bad token with 422 and stores nothing', async () => {
    const before = storedCounts();
    const refused = await api(team.admin).post('/api/integrations', {
      connectionId: salesforceId,
      catalogHost: ACME,
      catalogToken: 'definitely-not-a-key',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('CATALOG_TOKEN_REJECTED');
    expect(refused.body.error.message).toMatch(/^Catalog API token rejected/);
    expect(storedCounts()).toEqual(before);
  });

  it('links with the defaults, seals the token and creates the daily write job', async () => {
    const recorded = recordEvents(app, team.admin.teamId);
    await withLink(
      { connectionId: salesforceId, catalogHost: `https://${ACME}/admin/integrations`, catalogToken: acmeToken },
      async (integration) => {
        recorded.stop();
        expect(integration).toMatchObject({
          connectionId: salesforceId,
          connectionName: 'Acme SF',
          catalogHost: ACME,
          catalogAccountName: 'Acme University Continuing Education',
          target: 'Contact',
          matchKey: 'external-id',
          externalIdField: 'LMS_User_Id__c',
          schedule: '0 0 * * *',
          linkState: 'linked',
          problem: null,
          lastRun: null,
          createdBy: team.admin.displayName,
        });
        expect(integration.fieldMap).toEqual([
          { target: 'FirstName', source: 'first_name' },
          { target: 'LastName', source: 'last_name' },
          { target: 'Email', source: 'email_address' },
          { target: 'LMS_User_Id__c', source: 'id' },
        ]);
        expect(JSON.stringify(integration)).not.toContain(acmeToken);
        const [stored] = rows(app, 'select * from integrations where id = ?', integration.id);
        expect(String(stored?.catalog_token)).not.toContain(acmeToken);
        expect(app.secrets.open(String(stored?.catalog_token), integration.id)).toBe(acmeToken);
        const [job] = rows(app, 'select * from jobs where id = ?', integration.jobId);
        expect(job).toMatchObject({ kind: 'write', state: 'active', schedule: '0 0 * * *' });
        expect(JSON.parse(String(job?.config))).toEqual({ integrationId: integration.id });
        expect(recorded.events.map((event) => event.type)).toEqual(['job.changed', 'integration.changed']);

        const again = await api(team.owner).post('/api/integrations', {
          connectionId: salesforceId,
          catalogHost: ACME,
          catalogToken: acmeToken,
        });
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('INTEGRATION_ALREADY_LINKED');
      },
    );
  });

  it('maps Lead with Company from the account name, and Dynamics with logical names', async () => {
    await withLink(
      { connectionId: salesforceId, catalogHost: GLOBEX, catalogToken: globexToken, target: 'Lead', schedule: null },
      async (integration) => {
        expect(integration.schedule).toBeNull();
        expect(integration.fieldMap).toContainEqual({ target: 'Company', constant: 'Globex Academy' });
      },
    );
    await withLink({ connectionId: dynamicsId, catalogHost: ACME, catalogToken: acmeToken }, async (integration) => {
      expect(integration.externalIdField).toBe('lms_userid');
      expect(integration.fieldMap).toEqual([
        { target: 'firstname', source: 'first_name' },
        { target: 'lastname', source: 'last_name' },
        { target: 'emailaddress1', source: 'email_address' },
        { target: 'lms_userid', source: 'id' },
      ]);
      const toEmail = await api(team.admin).patch(`/api/integrations/${integration.id}`, { matchKey: 'email' });
      expect(toEmail.status).toBe(400);
      expect(toEmail.body.error).toMatchObject({
        code: 'MATCH_KEY_INVALID',
        message: expect.stringMatching(/^Dynamics 365 supports the External ID match key only/),
      });
    });
  });

  it('names every invalid mapping, match key, host and schedule with 400 and stores nothing', async () => {
    const base = { connectionId: salesforceId, catalogHost: ACME, catalogToken: acmeToken };
    const names = { FirstName: 'first_name', LastName: 'last_name', Email: 'email_address', LMS_User_Id__c: 'id' };
    const map = (extra: Record<string, unknown>[] = [], without = '') => [
      ...Object.entries(names)
        .filter(([target]) => target !== without)
        .map(([target, source]) => ({ target, source })),
      ...extra,
    ];
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { fieldMap: map([{ target: 'Foo__c', source: 'user_name' }]) },
        'FIELD_MAP_INVALID',
        /^The field "Foo__c" does not exist on Contact\.$/,
      ],
      [
        { fieldMap: map([{ target: 'IsEmailBounced', constant: 'true' }]) },
        'FIELD_MAP_INVALID',
        /"IsEmailBounced" on Contact cannot be written/,
      ],
      [{ fieldMap: map([{ target: 'Email', source: 'user_name' }]) }, 'FIELD_MAP_INVALID', /"Email" is mapped twice/],
      [
        { fieldMap: map([{ target: 'Description', source: 'shoe_size' }]) },
        'FIELD_MAP_INVALID',
        /"shoe_size" \(mapped to "Description"\) is not a Catalog user field/,
      ],
      [
        { fieldMap: map([{ target: 'DoNotCall', source: 'first_name' }]) },
        'FIELD_MAP_INVALID',
        /"first_name" cannot be written to "DoNotCall" \(a boolean field/,
      ],
      [{ fieldMap: map([], 'Email') }, 'FIELD_MAP_INVALID', /^"Email" must be mapped/],
      [{ target: 'Lead', fieldMap: map() }, 'FIELD_MAP_INVALID', /^"Company" must be mapped/],
      [{ externalIdField: 'Description' }, 'MATCH_KEY_INVALID', /"Description" on Contact is not an External ID field/],
      [
        { fieldMap: map([{ target: 'LMS_User_Id__c', source: 'email_address' }], 'LMS_User_Id__c') },
        'FIELD_MAP_INVALID',
        /"LMS_User_Id__c" from the Catalog field "id".*not by "email_address"/,
      ],
      [
        { connectionId: dynamicsId, matchKey: 'email' },
        'MATCH_KEY_INVALID',
        /^Dynamics 365 supports the External ID match key only/,
      ],
      [
        { schedule: 'every day' },
        'JOB_SCHEDULE_INVALID',
        /^The schedule "every day" is not a valid cron expression in UTC: /,
      ],
      [
        { schedule: '61 0 * * *' },
        'JOB_SCHEDULE_INVALID',
        /^The schedule "61 0 \* \* \*" is not a valid cron expression in UTC: /,
      ],
      [{ catalogHost: 'acme.instructure.com' }, 'CATALOG_HOST_INVALID', /Canvas LMS host/],
      [
        { catalogHost: 'initech.catalog.instructure.com' },
        'CATALOG_HOST_INVALID',
        /The sandbox has no Catalog account/,
      ],
    ];
    const before = storedCounts();
    for (const [change, code, message] of cases) {
      const refused = await api(team.admin).post('/api/integrations', { ...base, ...change });
      expect(refused.status, JSON.stringify(change)).toBe(400);
      expect(refused.body.error.code).toBe(code);
      expect(refused.body.error.message).toMatch(message);
    }
    expect(storedCounts()).toEqual(before);
  });

  it('accepts custom fields the users have, and email as the match key', async () => {
    await withLink(
      {
        connectionId: salesforceId,
        catalogHost: ACME,
        catalogToken: acmeToken,
        matchKey: 'email',
        fieldMap: [
          { target: 'FirstName', source: 'first_name' },
          { target: 'LastName', source: 'last_name' },
          { target: 'Email', source: 'email_address' },
          { target: 'Description', source: 'custom_fields.job_title' },
        ],
      },
      async (integration) => {
        expect(integration.matchKey).toBe('email');
        expect(integration.externalIdField).toBeNull();
      },
    );
  });

  it('lets only admins link, and only to their own team’s usable connections', async () => {
    const body = { connectionId: salesforceId, catalogHost: ACME, catalogToken: acmeToken };
    expect((await api(team.viewer).post('/api/integrations', body)).status).toBe(403);
    expect((await api(otherTeam.admin).post('/api/integrations', body)).status).toBe(404);
    app.db.$client
      .prepare("update connections set status = 'inactive', status_reason = 'revoked' where id = ?")
      .run(dynamicsId);
    try {
      const refused = await api(team.admin).post('/api/integrations', { ...body, connectionId: dynamicsId });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/^Connection inactive: re-authorize "Contoso D365" first \(revoked\)/);
    } finally {
      app.db.$client
        .prepare("update connections set status = 'active', status_reason = null where id = ?")
        .run(dynamicsId);
    }
  });
});

describe('an integration', () => {
  it('is listed, read and filtered per team; other teams and viewers cannot change it', async () => {
    await withLink({ connectionId: salesforceId, catalogHost: ACME, catalogToken: acmeToken }, async (integration) => {
      const listed = await api(team.viewer).get(`/api/integrations?connection=${salesforceId}`);
      expect(listed.body.integrations.map((item: { id: string }) => item.id)).toEqual([integration.id]);
      expect((await api(team.viewer).get(`/api/integrations?connection=${dynamicsId}`)).body.integrations).toEqual([]);
      expect((await api(otherTeam.owner).get('/api/integrations')).body.integrations).toEqual([]);
      const url = `/api/integrations/${integration.id}`;
      expect((await api(team.viewer).get(url)).body.id).toBe(integration.id);
      for (const call of [
        () => api(otherTeam.owner).get(url),
        () => api(otherTeam.owner).patch(url, { schedule: null }),
        () => api(otherTeam.owner).delete(url),
        () => api(otherTeam.owner).post(`${url}/run`),
        () => api(otherTeam.owner).get(`${url}/mapping-options`),
      ]) {
        expect((await call()).status).toBe(404);
      }
      expect((await api(team.viewer).patch(url, { schedule: null })).status).toBe(403);
      expect((await api(team.viewer).delete(url)).status).toBe(403);
      expect((await api(team.viewer).post(`${url}/run`)).status).toBe(403);
    });
  });

  it('edits the schedule and field map with the same checks, changing nothing on a 4xx', async () => {
    await withLink({ connectionId: salesforceId, catalogHost: ACME, catalogToken: acmeToken }, async (integration) => {
      const url = `/api/integrations/${integration.id}`;
      const off = await api(team.admin).patch(url, { schedule: null });
      expect(off.status).toBe(200);
      expect(off.body.schedule).toBeNull();
      const bad = await api(team.admin).patch(url, { schedule: '0 0 * *', fieldMap: [] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^The schedule "0 0 \* \*" is not a valid cron expression in UTC/);
      const unknownField = await api(team.admin).patch(url, {
        fieldMap: [...integration.fieldMap, { target: 'Nope__c', source: 'id' }],
      });
      expect(unknownField.body.error.message).toBe('The field "Nope__c" does not exist on Contact.');
      const edited = await api(team.admin).patch(url, {
        schedule: '30 6 * * 1-5',
        fieldMap: [...integration.fieldMap, { target: 'Description', source: 'custom_fields.organization' }],
      });
      expect(edited.status).toBe(200);
      expect(edited.body.schedule).toBe('30 6 * * 1-5');
      expect(edited.body.fieldMap).toHaveLength(5);
      const toLead = await api(team.admin).patch(url, { target: 'Lead' });
      expect(toLead.status).toBe(200);
      expect(toLead.body.fieldMap).toContainEqual({
        target: 'Company',
        constant: 'Acme University Continuing Education',
      });
      expect(rows(app, 'select name from jobs where id = ?', integration.jobId)[0]?.name).toBe('Catalog users -> Lead');
      const badToken = await api(team.admin).patch(url, { catalogToken: 'revoked-or-wrong' });
      expect(badToken.status).toBe(422);
    });
  });

  it('offers mapping options: writable fields, Catalog fields with custom ones, mandatory and default map', async () => {
    await withLink({ connectionId: salesforceId, catalogHost: ACME, catalogToken: acmeToken }, async (integration) => {
      const options = await api(team.viewer).get(`/api/integrations/${integration.id}/mapping-options?target=Lead`);
      expect(options.status).toBe(200);
      expect(options.body.target).toBe('Lead');
      expect(options.body.mandatory).toEqual(['FirstName', 'LastName', 'Email', 'Company']);
      expect(options.body.crmFields.every((field: CrmField) => field.createable && field.updateable)).toBe(true);
      const crmNames = options.body.crmFields.map((field: { name: string }) => field.name);
      expect(crmNames).toContain('Company');
      expect(crmNames).not.toContain('IsEmailBounced');
      const catalogNames = options.body.catalogFields.map((field: { name: string }) => field.name);
      expect(catalogNames).toEqual(expect.arrayContaining(['id', 'email_address', 'custom_fields.phone']));
      expect(options.body.defaultFieldMap).toContainEqual({ target: 'LMS_User_Id__c', source: 'id' });
    });
  });

  it('runs only when nothing is running, the connection is active and it is linked', async () => {
    await withLink({ connectionId: salesforceId, catalogHost: ACME, catalogToken: acmeToken }, async (integration) => {
      const run = `/api/integrations/${integration.id}/run`;
      app.db.$client.prepare("update connections set status = 'paused' where id = ?").run(salesforceId);
      try {
        const paused = await api(team.admin).post(run);
        expect(paused.status).toBe(409);
        expect(paused.body.error.message).toMatch(/^Connection paused/);
      } finally {
        app.db.$client.prepare("update connections set status = 'active' where id = ?").run(salesforceId);
      }
      app.db.$client
        .prepare(
          "insert into job_runs (id, team_id, job_id, kind, title, connection_id, connection_name, integration_id, status, trigger) values ('run-busy', ?, ?, 'write', 'x', ?, 'Acme SF', ?, 'running', 'manual')",
        )
        .run(team.admin.teamId, integration.jobId, salesforceId, integration.id);
      try {
        const busy = await api(team.admin).post(run);
        expect(busy.status).toBe(409);
        expect(busy.body.error.code).toBe('RUN_IN_PROGRESS');
        expect((await api(team.viewer).get(`/api/integrations/${integration.id}`)).body.lastRun).toMatchObject({
          id: 'run-busy',
          status: 'running',
        });
      } finally {
        app.db.$client.prepare("update job_runs set status = 'completed' where id = 'run-busy'").run();
      }
    });
  });

  it('Run Write Job queues a manual run through the runner, and refuses a second one while it goes', async () => {
    await withLink({ connectionId: salesforceId, catalogHost: ACME, catalogToken: acmeToken }, async (integration) => {
      const run = `/api/integrations/${integration.id}/run`;
      const started = await api(team.admin).post(run);
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      expect(started.body.run).toMatchObject({
        jobId: integration.jobId,
        integrationId: integration.id,
        kind: 'write',
        trigger: 'manual',
        startedBy: team.admin.displayName,
      });
      const second = await api(team.owner).post(run);
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('RUN_IN_PROGRESS');
      app.runner.abort(started.body.run.id);
      await expect
        .poll(() => rows(app, 'select status from job_runs where id = ?', started.body.run.id)[0]?.status, {
          timeout: 10_000,
        })
        .toMatch(/^(aborted|completed|completed-with-errors|failed)$/);
      expect((await api(team.viewer).get(`/api/integrations/${integration.id}`)).body.lastRun.id).toBe(
        started.body.run.id,
      );
    });
  });

  it('unlinks keeping history; a second unlink is harmless and the account can be linked again', async () => {
    const created = await api(team.admin).post('/api/integrations', {
      connectionId: salesforceId,
      catalogHost: GLOBEX,
      catalogToken: globexToken,
    });
    const url = `/api/integrations/${created.body.id}`;
    const recorded = recordEvents(app, team.admin.teamId);
    expect((await api(team.admin).delete(url)).status).toBe(204);
    expect((await api(team.admin).delete(url)).status).toBe(204);
    recorded.stop();
    expect(recorded.events.map((event) => event.type)).toEqual(['job.changed', 'integration.deleted']);
    expect((await api(team.viewer).get(url)).body.linkState).toBe('not-linked');
    expect(rows(app, 'select state from jobs where id = ?', created.body.jobId)[0]?.state).toBe('disabled');
    expect(
      (await api(team.viewer).get('/api/integrations')).body.integrations.map((item: Integration) => item.id),
    ).not.toContain(created.body.id);
    const history = await api(team.viewer).get('/api/integrations?includeUnlinked=true');
    expect(history.body.integrations.map((item: Integration) => item.id)).toContain(created.body.id);
    const run = await api(team.admin).post(`${url}/run`);
    expect(run.status).toBe(409);
    expect(run.body.error.code).toBe('INTEGRATION_UNLINKED');
    expect((await api(team.admin).patch(url, { schedule: null })).status).toBe(409);
    await withLink({ connectionId: salesforceId, catalogHost: GLOBEX, catalogToken: globexToken }, async (again) => {
      expect(again.id).not.toBe(created.body.id);
    });
  });
});

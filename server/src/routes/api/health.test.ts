import { HealthResponse } from '@orglink/shared';
import { Value } from 'typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import serverPackage from '../../../package.json' with { type: 'json' };
import migrationJournal from '../../db/migrations/meta/_journal.json' with { type: 'json' };
import { buildTestServer } from '../../test-support.ts';

describe('GET /api/health', () => {
  let close: (() => Promise<unknown>) | undefined;
  afterEach(async () => close?.());

  it('reports the version, database state and uptime', async () => {
    const { app } = await buildTestServer();
    close = () => app.close();
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Value.Check(HealthResponse, body)).toBe(true);
    expect(body).toMatchObject({ service: 'orglink', status: 'ok', version: serverPackage.version });
    expect(body.database).toEqual({ status: 'ok', migrationsApplied: migrationJournal.entries.length });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('answers 503 and says why when the database cannot be read', async () => {
    const { app } = await buildTestServer();
    close = () => app.close();
    app.db.$client.close();
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'degraded', database: { status: 'unavailable' } });
    expect(response.json().database.message).toMatch(/database connection is not open/);
  });

  it('is described in the OpenAPI document served at /docs', async () => {
    const { app } = await buildTestServer();
    close = () => app.close();
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.info).toMatchObject({ title: 'OrgLink API', version: serverPackage.version });
    expect(spec.paths['/api/health'].get.responses).toHaveProperty('200');
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBeLessThan(400);
  });
});

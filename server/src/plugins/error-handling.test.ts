import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Type } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@orglink/shared';
import Database, { SqliteError } from 'better-sqlite3';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import Fastify from 'fastify';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUnavailable } from '../db/database-errors.ts';
import { createInvite, ensureFirstTeam, redeemInvite } from '../domain/teams/team-service.ts';
import { ApiError } from '../http-errors.ts';
import { loggerOptions, withoutQueryParameters } from '../logging.ts';
import { buildTestServer, testConfig } from '../test-support.ts';
import { errorHandlingPlugin } from './error-handling.ts';

// The handler is exercised on a bare instance with routes made for the purpose, configured like the real server.
const app = Fastify({
  logger: false,
  ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
});

beforeAll(async () => {
  await app.register(errorHandlingPlugin);
  app.post(
    '/things/:id',
    {
      schema: {
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: Type.Object(
          { name: Type.String({ minLength: 1 }), kind: Type.Union([Type.Literal('a'), Type.Literal('b')]) },
          { additionalProperties: false },
        ),
      },
      bodyLimit: 64,
    },
    async () => ({ ok: true }),
  );
  app.get('/conflict', async () => {
    throw new ApiError(409, 'CONNECTION_EXISTS', 'That org is already connected.', { connectionId: 7 });
  });
  app.get('/bug', async () => {
    throw new Error('secret internal detail');
  });
  await app.ready();
});
afterAll(() => app.close());

function expectErrorShape(body: unknown) {
  expect(Value.Check(ErrorBody, body), JSON.stringify(body)).toBe(true);
}

describe('error handling', () => {
  it('turns body validation failures into 400 VALIDATION_FAILED listing every field', async () => {
    const response = await app.inject({ method: 'POST', url: '/things/1', payload: { name: '', extra: 1 } });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expectErrorShape(body);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(/^The request body is invalid: /);
    const fields = body.error.details.issues.map((issue: { field: string }) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'kind', 'extra']));
    expect(body.error.details.issues.find((issue: { field: string }) => issue.field === 'extra').message).toMatch(
      /not a known field/,
    );
  });

  it('names the URL path when a parameter is wrong', async () => {
    const response = await app.inject({ method: 'POST', url: '/things/zero', payload: { name: 'x', kind: 'a' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/^The URL path is invalid: id /);
  });

  it('rejects malformed JSON, oversized bodies and wrong content types with their own codes', async () => {
    const badJson = await app.inject({
      method: 'POST',
      url: '/things/1',
      payload: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect([badJson.statusCode, badJson.json().error.code]).toEqual([400, 'INVALID_JSON']);

    const tooLarge = await app.inject({
      method: 'POST',
      url: '/things/1',
      payload: { name: 'x'.repeat(100), kind: 'a' },
    });
    expect([tooLarge.statusCode, tooLarge.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);

    const wrongType = await app.inject({
      method: 'POST',
      url: '/things/1',
      payload: 'name=x',
      headers: { 'content-type': 'text/csv' },
    });
    expect([wrongType.statusCode, wrongType.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    for (const response of [badJson, tooLarge, wrongType]) expectErrorShape(response.json());
  });

  it('passes ApiError status, code and details through', async () => {
    const response = await app.inject({ method: 'GET', url: '/conflict' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error: { code: 'CONNECTION_EXISTS', message: 'That org is already connected.', details: { connectionId: 7 } },
    });
  });

  it('hides the internals of unexpected errors behind a 500 that points at the log', async () => {
    const response = await app.inject({ method: 'GET', url: '/bug' });
    expect(response.statusCode).toBe(500);
    expectErrorShape(response.json());
    expect(response.json().error.code).toBe('INTERNAL_ERROR');
    expect(response.body).not.toContain('secret internal detail');
    expect(response.json().error.message).toContain('req-');
  });

  it('answers unknown routes with 404 ROUTE_NOT_FOUND in the same shape', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/nowhere?x=1' });
    expect(response.statusCode).toBe(404);
    expectErrorShape(response.json());
    expect(response.json().error).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      message: expect.stringContaining('DELETE /nowhere '),
    });
  });
});

describe('SQLite busy, locked, full or failing disk', () => {
  const dataDirs: string[] = [];
  afterAll(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** The real app on a database file, so a second connection can lock it; its owner signed in. */
  async function appOnFile() {
    const dir = mkdtempSync(path.join(tmpdir(), 'orglink-sqlite-'));
    dataDirs.push(dir);
    const file = path.join(dir, 'orglink.db');
    const { app: server, logLines } = await buildTestServer({ databasePath: file });
    const firstInvite = ensureFirstTeam(server.db);
    const redeemed = redeemInvite(server.db, { code: firstInvite?.code ?? '', displayName: 'Owner' });
    const owner = { teamId: redeemed.me.team.id, userId: redeemed.me.user.id, token: redeemed.token };
    const count = (table: string, where = '1 = 1', ...params: unknown[]) =>
      (server.db.$client.prepare(`select count(*) as n from ${table} where ${where}`).get(...params) as { n: number })
        .n;
    const redeem = (code: string, displayName: string) =>
      server.inject({ method: 'POST', url: '/api/auth/redeem', payload: { code, displayName } });
    return { server, logLines, file, owner, count, redeem };
  }

  it('maps SQLite codes, bare or wrapped by drizzle, to 503 with what to do, and leaves other errors alone', () => {
    const wrapped = new DrizzleQueryError(
      'insert into t values (?)',
      ['olk_secret'],
      new SqliteError('x', 'SQLITE_BUSY'),
    );
    expect(databaseUnavailable(wrapped)).toMatchObject({ code: 'DATABASE_BUSY', sqliteCode: 'SQLITE_BUSY' });
    expect(databaseUnavailable(new SqliteError('x', 'SQLITE_BUSY_SNAPSHOT'))?.code).toBe('DATABASE_BUSY');
    expect(databaseUnavailable(new SqliteError('x', 'SQLITE_LOCKED_SHAREDCACHE'))?.code).toBe('DATABASE_BUSY');
    expect(databaseUnavailable(new SqliteError('x', 'SQLITE_FULL'))?.advice).toMatch(/free disk space/);
    expect(databaseUnavailable(new SqliteError('x', 'SQLITE_IOERR_WRITE'))?.code).toBe('DATABASE_UNAVAILABLE');
    // A constraint violation is a bug or a request problem, not a machine condition: it stays a 500 elsewhere.
    expect(databaseUnavailable(new SqliteError('x', 'SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    expect(databaseUnavailable(new Error('SQLITE_BUSY'))).toBeUndefined();
  });

  it('answers 503 DATABASE_BUSY while another process holds the write lock, and stores nothing partial', async () => {
    const { server, logLines, file, owner, count, redeem } = await appOnFile();
    try {
      const pending = createInvite(server.db, { teamId: owner.teamId, role: 'viewer', createdBy: owner.userId });
      const invitesBefore = count('invites');
      // Shortened from the default 5000 ms so the test does not sit through it; the behaviour after it is the same.
      server.db.$client.pragma('busy_timeout = 100');
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      let invite: Awaited<ReturnType<typeof redeem>>;
      let redeemed: Awaited<ReturnType<typeof redeem>>;
      try {
        invite = await server.inject({
          method: 'POST',
          url: '/api/invites',
          headers: { authorization: `Bearer ${owner.token}` },
          payload: { role: 'admin' },
        });
        redeemed = await redeem(pending.code, 'Busy Newcomer');
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      for (const response of [invite, redeemed]) {
        expect(response.statusCode, response.body).toBe(503);
        expectErrorShape(response.json());
        expect(response.json().error).toMatchObject({
          code: 'DATABASE_BUSY',
          message: expect.stringMatching(/database is busy.*Nothing was saved; try again/),
        });
      }
      // The redeem writes four rows in one transaction: none of them is there.
      expect(count('invites')).toBe(invitesBefore);
      expect(count('users', 'display_name = ?', 'Busy Newcomer')).toBe(0);
      expect(count('invites', 'redeemed_at is not null')).toBe(1);
      expect(count('memberships')).toBe(1);
      expect(count('api_tokens')).toBe(1);
      expect(logLines.some((line) => line.includes('"sqliteCode":"SQLITE_BUSY'))).toBe(true);
      expect(logLines.join('\n')).not.toContain(pending.code);

      // Once the lock is gone the same request succeeds.
      expect((await redeem(pending.code, 'Busy Newcomer')).statusCode).toBe(200);
      expect(count('users', 'display_name = ?', 'Busy Newcomer')).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('answers 503 DATABASE_FULL when the file cannot grow, and rolls the whole redeem back', async () => {
    const { server, owner, count, redeem } = await appOnFile();
    try {
      const codes = Array.from(
        { length: 200 },
        () => createInvite(server.db, { teamId: owner.teamId, role: 'viewer', createdBy: owner.userId }).code,
      );
      // The file may not grow by one page: the first redeem that needs a new page fails, whichever of its rows that is.
      const pages = server.db.$client.pragma('page_count', { simple: true }) as number;
      server.db.$client.pragma(`max_page_count = ${pages}`);
      let full: { index: number; body: string } | undefined;
      for (const [index, code] of codes.entries()) {
        const response = await redeem(code, `Newcomer ${index}`);
        if (response.statusCode === 200) continue;
        expect(response.statusCode, response.body).toBe(503);
        full = { index, body: response.body };
        break;
      }
      expect(full, 'no redeem needed a new page').toBeDefined();
      const index = full?.index ?? -1;
      expect(JSON.parse(full?.body ?? '{}').error).toMatchObject({
        code: 'DATABASE_FULL',
        message: expect.stringMatching(/database is full.*free disk space/),
      });
      expect(count('users', 'display_name = ?', `Newcomer ${index}`)).toBe(0);
      expect(count('invites', 'redeemed_at is not null')).toBe(index + 1);
      expect(count('memberships')).toBe(index + 1);
      expect(count('api_tokens', 'revoked_at is null')).toBe(index + 1);

      server.db.$client.pragma(`max_page_count = ${pages * 100}`);
      expect((await redeem(codes[index] ?? '', `Newcomer ${index}`)).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('logging a failed query', () => {
  // What a statement's parameters can hold: a token and someone's e-mail.
  const token = 'olk_0123456789abcdef';
  const email = 'grace.hopper@example.org';
  const statement = 'insert into api_tokens values (?, ?)';

  /**
   * A failed insert wrapped as drizzle's async drivers wrap it (DrizzleQueryError, the parameters in its message).
   * better-sqlite3's driver throws the bare SqliteError, which names no value: the wrapper is what could leak.
   */
  function failedInsert(): Error {
    const db = new Database(':memory:');
    db.exec('create table api_tokens (token text unique, email text)');
    db.prepare(statement).run(token, email);
    try {
      db.prepare(statement).run(token, email);
    } catch (error) {
      expect(String(error)).not.toContain(token);
      return new DrizzleQueryError(statement, [token, email], error as Error);
    }
    throw new Error('the duplicate insert did not fail');
  }

  it('keeps the SQL text and the SQLite code, drops the parameters, through causes that quote it', () => {
    const failed = failedInsert();
    expect(failed.message).toContain(token);
    const quoted = new Error(`could not save the token: ${failed.message}`, { cause: failed });
    for (const error of [failed, quoted]) {
      const safe = withoutQueryParameters(error) as Error;
      const text = JSON.stringify({ message: safe.message, stack: safe.stack, cause: safe.cause, all: safe });
      expect(text).not.toContain(token);
      expect(text).not.toContain(email);
      expect(`${safe.message}\n${safe.stack}`).toContain(statement);
    }
    const safe = withoutQueryParameters(failed) as Error & { query: string; cause: Error & { code: string } };
    expect(safe.query).toBe(statement);
    expect(safe.cause.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    // Errors without a failed query are logged as they are.
    const plain = new Error('plain', { cause: new Error('inner') });
    expect(withoutQueryParameters(plain)).toBe(plain);
    expect(withoutQueryParameters('not an error')).toBe('not an error');
  });

  it('writes no parameter to the server log when a route fails on a query', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = Fastify({ logger: loggerOptions(testConfig(), destination) });
    await logged.register(errorHandlingPlugin);
    logged.get('/save', async () => {
      // pino logs the whole cause chain, messages and stacks: the wrapper must not carry the query's words along.
      throw new Error('saving failed', { cause: failedInsert() });
    });
    try {
      const response = await logged.inject({ method: 'GET', url: '/save' });
      expect(response.statusCode).toBe(500);
      const log = lines.join('');
      expect(log).toContain('unhandled error');
      expect(log).toContain(statement);
      expect(log).toContain('UNIQUE constraint failed: api_tokens.token');
      expect(log).not.toContain(token);
      expect(log).not.toContain(email);
    } finally {
      await logged.close();
    }
  });
});

import { Type } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@orglink/shared';
import Fastify from 'fastify';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../http-errors.ts';
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

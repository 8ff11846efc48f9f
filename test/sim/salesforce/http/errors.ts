import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, NOT_FOUND_MESSAGE } from '../model/errors.ts';
import type { SimContext } from './context.ts';
import { OAuthError, sendHtml, sendJson, sleep } from './reply.ts';

/**
 * Every failure in Salesforce's shape: REST and Bulk errors as `[{"message","errorCode"}]` JSON, OAuth errors as
 * `{"error","error_description"}`, pages as HTML. Also the latency fault, applied before any product request.
 */

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/services/data') || request.url.startsWith('/services/async');
}

function isSim(request: FastifyRequest): boolean {
  return request.url.startsWith('/__sim');
}

const FASTIFY_CODES: Record<number, string> = {
  400: 'JSON_PARSER_ERROR',
  405: 'METHOD_NOT_ALLOWED',
  413: 'REQUEST_ENTITY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

export function registerErrorHandling(app: FastifyInstance, context: SimContext): void {
  app.addHook('onRequest', async (request) => {
    const latency = context.state.faults.settings.latencyMs;
    if (latency > 0 && !isSim(request)) await sleep(latency);
  });

  app.setErrorHandler((error: FastifyError | ApiError | OAuthError, request, reply) => {
    if (error instanceof ApiError) return sendJson(reply, error.status, error.entries);
    if (error instanceof OAuthError) {
      return sendJson(reply, error.status, { error: error.error, error_description: error.message });
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (isSim(request)) return reply.code(status).type('application/json').send({ error: error.message });
    if (isApi(request) || request.url.startsWith('/services/')) {
      const code = status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : (FASTIFY_CODES[status] ?? 'UNKNOWN_EXCEPTION');
      const message =
        status === 415
          ? `Content-Type header specified in HTTP request is not supported: ${request.headers['content-type'] ?? ''}`
          : status >= 500
            ? 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)'
            : error.message;
      return sendJson(reply, status, [{ message, errorCode: code }]);
    }
    return sendHtml(reply, status, `<!DOCTYPE html><html><body><h1>Error</h1><p>${status}</p></body></html>`);
  });

  app.setNotFoundHandler((request, reply) => {
    if (isSim(request)) return reply.code(404).type('application/json').send({ error: 'no such control' });
    if (request.url.startsWith('/services/')) {
      return sendJson(reply, 404, [{ errorCode: 'NOT_FOUND', message: NOT_FOUND_MESSAGE }]);
    }
    return sendHtml(
      reply,
      404,
      '<!DOCTYPE html><html><head><title>URL No Longer Exists</title></head><body><h1>URL No Longer Exists</h1></body></html>',
    );
  });
}

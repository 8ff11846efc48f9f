import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../model/errors.ts';

/**
 * Body parsers with Salesforce's behaviour: JSON errors become JSON_PARSER_ERROR in Jackson's words (Salesforce is a
 * Java service), forms feed the OAuth endpoints, CSV reaches Bulk uploads as a stream (parsed while it arrives), and
 * XML feeds the SOAP login.
 */

const rawBodies = new WeakMap<FastifyRequest, string>();

/** The JSON text a request carried, to quote line and column in deserialization errors. */
export function rawBody(request: FastifyRequest): string {
  return rawBodies.get(request) ?? '';
}

export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { line, column };
}

function jsonSyntaxError(text: string, error: unknown): ApiError {
  const message = error instanceof Error ? error.message : '';
  const match = /position (\d+)/.exec(message);
  const position = match ? Number(match[1]) : text.length;
  const { line, column } = lineAndColumn(text, position);
  const char = text.charAt(position);
  const detail =
    position >= text.length
      ? 'Unexpected end-of-input: expected close marker for Object'
      : `Unexpected character ('${char}' (code ${char.charCodeAt(0)})): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`;
  return new ApiError(400, 'JSON_PARSER_ERROR', `${detail} at [line:${line}, column:${column}]`);
}

const LARGE = 512 * 1024 * 1024;

export function registerParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: LARGE }, (request, body, done) => {
    const text = String(body);
    rawBodies.set(request, text);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(jsonSyntaxError(text, error), undefined);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  app.addContentTypeParser(
    ['text/xml', 'application/xml', 'application/soap+xml'],
    { parseAs: 'string' },
    (_r, body, done) => done(null, String(body)),
  );
  // Bulk uploads: the handler reads the stream itself, so 150 MB files are parsed while they arrive.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
}

import type { FastifyServerOptions } from 'fastify';
import { type DestinationStream, pino } from 'pino';
import type { Config } from './plugins/config.ts';

/** Keys whose values are secrets wherever they appear in a logged object. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'password',
  'token',
  'apiToken',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'id_token',
  'clientSecret',
  'client_secret',
  'consumerSecret',
  'securityToken',
  'code_verifier',
  'encryptionKey',
];

/** Query parameters that carry secrets in URLs the server sees (OAuth callbacks, token exchanges). */
const SECRET_QUERY_PARAMS = new Set([
  'code',
  'state',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code_verifier',
  'client_secret',
]);

export const REDACTED = '[redacted]';

/** pino redaction paths: each secret key at the top level and up to two levels deep. */
export const redactPaths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]).concat([
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
]);

/** A URL as logged: the values of secret query parameters replaced, everything else kept for debugging. */
export function redactUrl(rawUrl: string): string {
  // A sign-in link (/oauth/start/<flow id>) is a credential while the sign-in lasts.
  const url = rawUrl.replace(/^(\/oauth\/start\/)[^/?#]+/, `$1${REDACTED}`);
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  let changed = false;
  for (const key of [...params.keys()]) {
    if (SECRET_QUERY_PARAMS.has(key.toLowerCase())) {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, queryStart)}?${params.toString()}` : url;
}

/** drizzle's DrizzleQueryError: its message ends with the statement's parameters ("Failed query: …\nparams: …"). */
function isQueryError(error: Error): error is Error & { query: string; params: unknown[] } {
  const fields = error as { query?: unknown; params?: unknown };
  return typeof fields.query === 'string' && Array.isArray(fields.params) && error.message.startsWith('Failed query:');
}

/**
 * `error` as it may be logged: a drizzle query error anywhere in its cause chain keeps its SQL text and SQLite code
 * but loses the statement's parameters (tokens, e-mails, names), from its message, its stack and every error that
 * quoted it; pino would otherwise log the whole chain, causes included. Any other error is returned unchanged.
 */
export function withoutQueryParameters(error: unknown): unknown {
  const chain: Error[] = [];
  for (let current = error; current instanceof Error && chain.length < 5; current = current.cause) chain.push(current);
  const queries = chain.filter(isQueryError);
  if (queries.length === 0) return error;
  const scrub = (text: string | undefined) =>
    queries.reduce((scrubbed, query) => scrubbed.split(query.message).join(`Failed query: ${query.query}`), text ?? '');
  const copy = (original: Error, depth: number): Error => {
    const safe = new Error(scrub(original.message));
    safe.name = original.name;
    safe.stack = scrub(original.stack);
    const code = (original as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(safe, { code });
    if (isQueryError(original)) Object.assign(safe, { query: original.query });
    if (original.cause instanceof Error && depth < 4) safe.cause = copy(original.cause, depth + 1);
    return safe;
  };
  return copy(chain[0] as Error, 0);
}

interface LoggedRequest {
  id?: string;
  method?: string;
  url?: unknown;
  ip?: string;
}

export function loggerOptions(config: Config, destination?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: redactPaths, censor: REDACTED },
    serializers: {
      // Only these four fields, never the headers; the URL with its secret query values hidden.
      // Every logged error, wherever it is logged (routes, the runner, the monitor), without query parameters.
      err: (error: Error) => pino.stdSerializers.err(withoutQueryParameters(error) as Error),
      req: (request: LoggedRequest) => ({
        id: request.id,
        method: request.method,
        url: typeof request.url === 'string' ? redactUrl(request.url) : undefined,
        ip: request.ip,
      }),
    },
    // Pretty lines for a person at a terminal; JSON lines (one per event) for anything reading the output.
    ...(destination ? { stream: destination } : process.stdout.isTTY ? { transport: { target: 'pino-pretty' } } : {}),
  };
}

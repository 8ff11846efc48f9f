import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';
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

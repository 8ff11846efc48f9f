import path from 'node:path';
import fp from 'fastify-plugin';

/** Everything the server reads from the environment, parsed and checked once at start-up. */
export interface Config {
  host: string;
  port: number;
  /** Absolute path of the SQLite file, or ':memory:' (tests). */
  databasePath: string;
  logLevel: LogLevel;
  /** Browser origins allowed besides the extension's own (for example a second, self-built extension ID). */
  extraAllowedOrigins: string[];
  /** The server's address as a browser reaches it: OAuth callbacks and login links are built on it. */
  publicUrl: string;
  /** Base64 of 32 bytes, or undefined to use (and create at first start) `encryptionKeyFile`. */
  encryptionKey: Buffer | undefined;
  encryptionKeyFile: string;
  /** How often the tokens of active connections are checked; 0 turns the check off. */
  connectionCheckMinutes: number;
  /** Invite redeems allowed per client address per minute; 0 turns the limit off. */
  signInRateLimit: number;
  /** Requests to the browser sign-in pages under /oauth allowed per client address per minute; 0 turns it off. */
  oauthRateLimit: number;
  crm: CrmConfig;
}

/** Where the CRMs are: real ones from connected-app credentials, or the sandbox simulators from their index. */
export interface CrmConfig {
  /** The sandbox index (such as http://127.0.0.1:8800/), read at start for simulator URLs and credentials. */
  sandboxUrl: string | undefined;
  salesforce: { clientId: string; clientSecret: string; loginUrl: string; sandboxLoginUrl: string } | undefined;
  dynamics: { clientId: string; clientSecret: string; tenant: string } | undefined;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** A configuration problem, worded as the single line printed before the server refuses to start. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Each variable's parser says what is wrong and what to do in words an admin understands. A schema validator
 * would report "must be integer" without naming the variable's purpose, so these few parsers are written by hand.
 */
const parsers = {
  HOST(raw: string | undefined): string {
    const host = (raw ?? '127.0.0.1').trim();
    if (!host || /[\s/]/.test(host) || host.includes('://')) {
      throw new ConfigError(`HOST must be a host name or IP address such as 127.0.0.1 (got "${raw}").`);
    }
    return host;
  },
  PORT(raw: string | undefined): number {
    const text = (raw ?? '8787').trim();
    const port = Number(text);
    if (!/^\d+$/.test(text) || !Number.isInteger(port) || port > 65535) {
      throw new ConfigError(`PORT must be a whole number from 0 to 65535 (got "${raw}"). Unset it to use 8787.`);
    }
    return port;
  },
  DATABASE_PATH(raw: string | undefined, cwd: string): string {
    const file = (raw ?? path.join('data', 'orglink.db')).trim();
    if (!file) throw new ConfigError('DATABASE_PATH must not be empty. Unset it to use ./data/orglink.db.');
    return file === ':memory:' ? file : path.resolve(cwd, file);
  },
  LOG_LEVEL(raw: string | undefined): LogLevel {
    const level = (raw ?? 'info').trim().toLowerCase();
    if (!(LOG_LEVELS as readonly string[]).includes(level)) {
      throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}").`);
    }
    return level as LogLevel;
  },
  ALLOWED_ORIGINS(raw: string | undefined): string[] {
    if (!raw?.trim()) return [];
    return raw.split(',').map((entry) => {
      const candidate = entry.trim().replace(/\/$/, '');
      // URL gives extension origins as "null", so those are matched by their documented form instead.
      if (/^chrome-extension:\/\/[a-p]{32}$/.test(candidate) || /^moz-extension:\/\/[0-9a-f-]{36}$/.test(candidate)) {
        return candidate;
      }
      let origin: string | undefined;
      try {
        origin = new URL(candidate).origin;
      } catch {
        origin = undefined;
      }
      if (!origin || origin === 'null' || origin !== candidate) {
        throw new ConfigError(
          `ALLOWED_ORIGINS must be a comma-separated list of origins such as chrome-extension://abcdefghijklmnopabcdefghijklmnop or http://localhost:5173 (got "${candidate}").`,
        );
      }
      return origin;
    });
  },
};

function parseHttpUrl(name: string, raw: string, example: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL such as ${example} (got "${raw}").`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL such as ${example} (got "${raw}").`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseEncryptionKey(raw: string | undefined): Buffer | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32) {
    throw new ConfigError(
      'ENCRYPTION_KEY must be 32 random bytes in base64 (for example the output of `openssl rand -base64 32`). Unset it to use a key file.',
    );
  }
  return key;
}

/** Both halves of a credential pair, or neither: half a pair is a mistake worth stopping for. */
function pair(idName: string, secretName: string, env: NodeJS.ProcessEnv): [string, string] | undefined {
  const id = env[idName]?.trim();
  const secret = env[secretName]?.trim();
  if (!id && !secret) return undefined;
  if (!id) throw new ConfigError(`${idName} must be set together with ${secretName}, which is set.`);
  if (!secret) throw new ConfigError(`${idName} must be set together with ${secretName}, which is missing.`);
  return [id, secret];
}

function loadCrmConfig(env: NodeJS.ProcessEnv): CrmConfig {
  const salesforce = pair('SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', env);
  const dynamics = pair('DYNAMICS_CLIENT_ID', 'DYNAMICS_CLIENT_SECRET', env);
  return {
    sandboxUrl: env.SANDBOX_URL?.trim()
      ? parseHttpUrl('SANDBOX_URL', env.SANDBOX_URL, 'http://127.0.0.1:8800')
      : undefined,
    salesforce: salesforce && {
      clientId: salesforce[0],
      clientSecret: salesforce[1],
      loginUrl: parseHttpUrl(
        'SALESFORCE_LOGIN_URL',
        env.SALESFORCE_LOGIN_URL ?? 'https://login.salesforce.com',
        'https://login.salesforce.com',
      ),
      sandboxLoginUrl: parseHttpUrl(
        'SALESFORCE_SANDBOX_LOGIN_URL',
        env.SALESFORCE_SANDBOX_LOGIN_URL ?? 'https://test.salesforce.com',
        'https://test.salesforce.com',
      ),
    },
    dynamics: dynamics && {
      clientId: dynamics[0],
      clientSecret: dynamics[1],
      tenant: env.DYNAMICS_TENANT?.trim() || 'organizations',
    },
  };
}

export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const host = parsers.HOST(env.HOST);
  const port = parsers.PORT(env.PORT);
  const databasePath = parsers.DATABASE_PATH(env.DATABASE_PATH, cwd);
  const browserHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    databasePath,
    logLevel: parsers.LOG_LEVEL(env.LOG_LEVEL),
    extraAllowedOrigins: parsers.ALLOWED_ORIGINS(env.ALLOWED_ORIGINS),
    publicUrl: env.PUBLIC_URL?.trim()
      ? parseHttpUrl('PUBLIC_URL', env.PUBLIC_URL, 'https://orglink.example.com')
      : `http://${browserHost}:${port}`,
    encryptionKey: parseEncryptionKey(env.ENCRYPTION_KEY),
    encryptionKeyFile: env.ENCRYPTION_KEY_FILE?.trim()
      ? path.resolve(cwd, env.ENCRYPTION_KEY_FILE.trim())
      : databasePath === ':memory:'
        ? ':memory:'
        : path.join(path.dirname(databasePath), 'orglink.key'),
    connectionCheckMinutes: parseMinutes('CONNECTION_CHECK_MINUTES', env.CONNECTION_CHECK_MINUTES, 15),
    signInRateLimit: parsePerMinute('SIGN_IN_RATE_LIMIT', env.SIGN_IN_RATE_LIMIT, 10),
    oauthRateLimit: parsePerMinute('OAUTH_RATE_LIMIT', env.OAUTH_RATE_LIMIT, 30),
    crm: loadCrmConfig(env),
  };
}

function parseMinutes(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const minutes = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || minutes > 24 * 60) {
    throw new ConfigError(`${name} must be a whole number of minutes from 0 (off) to 1440 (got "${raw}").`);
  }
  return minutes;
}

function parsePerMinute(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const count = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || count > 100_000) {
    throw new ConfigError(
      `${name} must be a whole number of requests per minute from 0 (no limit) to 100000 (got "${raw}"). Unset it to use ${fallback}.`,
    );
  }
  return count;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

export const configPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    app.decorate('config', config);
  },
  { name: 'config' },
);

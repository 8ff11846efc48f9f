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

export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  return {
    host: parsers.HOST(env.HOST),
    port: parsers.PORT(env.PORT),
    databasePath: parsers.DATABASE_PATH(env.DATABASE_PATH, cwd),
    logLevel: parsers.LOG_LEVEL(env.LOG_LEVEL),
    extraAllowedOrigins: parsers.ALLOWED_ORIGINS(env.ALLOWED_ORIGINS),
  };
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

import { Writable } from 'node:stream';
import { type BuildServerOptions, buildServer } from './build-server.ts';
import { type Config, loadConfig } from './plugins/config.ts';

/** A configuration for tests: in-memory database, quiet logs unless a test reads them. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ DATABASE_PATH: ':memory:', LOG_LEVEL: 'info' }), ...overrides };
}

/** The app as the runner builds it, with every log line captured for assertions. */
export async function buildTestServer(
  overrides: Partial<Config> = {},
  options: Pick<BuildServerOptions, 'onRoute'> = {},
) {
  const logLines: string[] = [];
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = await buildServer(testConfig(overrides), { ...options, logDestination });
  return { app, logLines };
}

// The runner: reads the configuration, starts the app, listens, and closes cleanly on Ctrl-C or SIGTERM.
// The loader hook goes first, and the app is imported after it: static imports are all loaded before any runs.
import './drizzle-module-loading.ts';

const { default: closeWithGrace } = await import('close-with-grace');
const { buildServer } = await import('./build-server.ts');
const { ensureFirstTeam } = await import('./domain/teams/team-service.ts');
const { StartupError } = await import('./http-errors.ts');
const { ConfigError, loadConfig } = await import('./plugins/config.ts');

/** Start-up problems an admin can fix get one line, not a stack trace. */
function exitWith(message: string): never {
  process.stderr.write(`OrgLink server did not start: ${message}\n`);
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) exitWith(error.message);
  throw error;
}

let app: Awaited<ReturnType<typeof buildServer>>;
try {
  app = await buildServer(config);
} catch (error) {
  if (error instanceof StartupError) exitWith(error.message);
  throw error;
}

try {
  const address = await app.listen({ host: config.host, port: config.port });
  if (!process.env.PUBLIC_URL && config.port === 0) config.publicUrl = address;
} catch (error) {
  await app.close();
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    exitWith(
      `port ${config.port} on ${config.host} is already in use. Stop the other process or set PORT to a free port.`,
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') {
    exitWith(`cannot listen on ${config.host}:${config.port} (${code}). Check HOST and PORT.`);
  }
  throw error;
}

// Written to stdout, not the log: it is a credential for the person at the terminal, and logs keep no secrets.
const firstInvite = ensureFirstTeam(app.db);
if (firstInvite) {
  process.stdout.write(
    `\nFirst start: your team was created. Join it as its owner with this invite (valid until ${firstInvite.expiresAt}):\n` +
      `  ${firstInvite.code}\nPaste it in the extension's Settings. More invites: npm run invite -- --role admin|viewer\n\n`,
  );
}

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an unexpected error');
  else app.log.info({ signal }, 'closing');
  await app.close();
  app.log.info('OrgLink server stopped');
});

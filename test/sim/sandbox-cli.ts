// `npm run sandbox`: every simulator on fixed loopback ports, with the index at http://127.0.0.1:8800/.
import { startSandbox } from './sandbox.ts';

function fail(message: string): never {
  process.stderr.write(`OrgLink sandbox did not start: ${message}\n`);
  process.exit(1);
}

const rawPort = process.env.SANDBOX_PORT ?? '8800';
const port = Number(rawPort);
if (!/^\d+$/.test(rawPort.trim()) || port < 1 || port > 65535 - 80) {
  fail(
    `SANDBOX_PORT must be a whole number from 1 to 65455 (got "${rawPort}"); the simulators use the 80 ports after it.`,
  );
}

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
try {
  sandbox = await startSandbox({ port, https: process.env.SANDBOX_HTTPS !== 'off' });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    fail(`a port from ${port} to ${port + 80} is in use. Stop the other sandbox or set SANDBOX_PORT.`);
  throw error;
}
process.stdout.write(
  `OrgLink sandbox  ${sandbox.url}  (every simulated org, environment and Catalog account, with credentials)\n`,
);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    await sandbox.close();
    process.stdout.write('OrgLink sandbox stopped\n');
    process.exit(0);
  });
}

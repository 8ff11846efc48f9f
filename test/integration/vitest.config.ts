import { defineProject } from 'vitest/config';

// The server in process (app.inject and real loopback HTTP) against the sandbox simulators: no browser.
export default defineProject({
  test: {
    name: 'integration',
    include: ['**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

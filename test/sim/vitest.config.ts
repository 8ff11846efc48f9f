import { defineProject } from 'vitest/config';

// The simulators' own fidelity tests: in-process, loopback only, safe to run in parallel.
export default defineProject({
  test: { name: 'sim', include: ['**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
});

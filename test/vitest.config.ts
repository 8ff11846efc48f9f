import { defineProject } from 'vitest/config';

// Browser tests share one machine's two cores: run their files one after another, with room for Chromium to start.
export default defineProject({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// WxtVitest gives the tests WXT's module resolution and an in-memory fake browser (storage, runtime messaging).
// Its root is set explicitly because the whole workspace runs Vitest from the repository root.
export default defineProject({
  plugins: [WxtVitest({ root: fileURLToPath(new URL('.', import.meta.url)) })],
  test: { name: 'extension', include: ['src/**/*.test.{ts,tsx}'], environment: 'node' },
});

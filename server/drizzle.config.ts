import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes a new SQL migration here after a schema change; the server applies them at start.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});

import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @clubos/cloud db:generate` writes SQL migrations into drizzle/; they are committed
// and applied at start-up by db/migrate.ts. Generating needs no database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/*.schema.ts',
  out: './drizzle',
});

import { defineConfig } from 'drizzle-kit';

// Migrations are generated into edge/drizzle/, committed, and applied by the edge at start-up.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './drizzle',
});

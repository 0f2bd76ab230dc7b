import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The runner Stryker drives (docs/mutation-testing.md): the root config minus the browser suites
// and their web-build globalSetup (no rule in scope is tested only through a browser), one worker,
// TZ=UTC as everywhere.
process.env.TZ = 'UTC';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    // Relative to the package folder Stryker passes as `dir`.
    include: ['{src,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.e2e.test.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});

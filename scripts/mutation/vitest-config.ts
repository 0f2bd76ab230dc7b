import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The Vitest config Stryker drives (docs/mutation-testing.md): the root config minus the browser
 * suites and their web-build globalSetup (no rule in scope is tested only through a browser), one
 * worker, TZ=UTC as everywhere. `include` is relative to the package folder Stryker passes as `dir`.
 */
export function mutationVitestConfig(include = ['{src,test}/**/*.test.ts']) {
  process.env.TZ = 'UTC';
  return defineConfig({
    root: fileURLToPath(new URL('../..', import.meta.url)),
    test: {
      include,
      exclude: ['**/node_modules/**', '**/dist/**', '**/*.e2e.test.ts'],
      env: { TZ: 'UTC' },
      testTimeout: 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      maxWorkers: 1,
    },
  });
}

import { defineConfig } from 'vitest/config';

// One runner for the whole tree. Facility-time logic must not depend on the machine's zone,
// so every test process runs with TZ=UTC (as Cal.com does).
process.env.TZ = 'UTC';

export default defineConfig({
  test: {
    include: [
      '{shared,cloud,edge,simulators,kiosk-app}/{src,test}/**/*.test.ts',
      '{scripts,deploy}/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    env: { TZ: 'UTC' },
    // The web apps the browser tests load are built once, before the workers start.
    globalSetup: ['./scripts/web-builds.vitest-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most suites wait on PostgreSQL, PGlite, sockets or Chromium rather than the CPU: two workers
    // on a 2-core machine cut the suite from 549 s to 399 s here without starving the timing tests.
    maxWorkers: 2,
  },
});

import { createRequire } from 'node:module';

// What every package's Stryker run shares (docs/mutation-testing.md). Run from the repository root:
// `npx stryker run <package>/stryker.config.mjs`, or all of them with `npm run mutation`.

/** The bar of issue #22: killed ÷ (killed + survived + no coverage), per module, at least 90 %. */
export const BAR = 90;

// pnpm keeps the plugins out of the core's reach: hand Stryker their paths from the root.
const require = createRequire(import.meta.url);
const PLUGINS = ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'].map((name) =>
  require.resolve(name),
);

/**
 * @param {string} pkg the package folder (shared, edge, cloud)
 * @param {string[]} mutate the modules in scope, by file
 * @param {{ vitestConfig?: string }} [options] a package's own Vitest config (which suites to run)
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function strykerConfig(pkg, mutate, options = {}) {
  const out = `reports/mutation/${pkg}`;
  return {
    plugins: PLUGINS,
    testRunner: 'vitest',
    vitest: {
      configFile: options.vitestConfig ?? 'scripts/mutation/vitest.config.ts',
      dir: pkg,
      related: true,
    },
    // The first run of every test, with coverage, is slow on a loaded machine.
    dryRunTimeoutMinutes: 20,
    checkers: ['typescript'],
    tsconfigFile: `${pkg}/tsconfig.json`,
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    coverageAnalysis: 'perTest',
    mutate,
    // The machine is shared: one test process at a time unless MUTATION_CONCURRENCY says otherwise.
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
    timeoutMS: 10_000,
    incremental: true,
    // Committed, so CI re-tests only what changed since the last full run (bench/mutation.md).
    incrementalFile: `bench/mutation-incremental-${pkg}.json`,
    reporters: ['html', 'json', 'progress', 'clear-text'],
    htmlReporter: { fileName: `${out}/index.html` },
    jsonReporter: { fileName: `${out}/mutation.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    thresholds: { high: 95, low: BAR, break: BAR },
    tempDirName: `reports/mutation/.stryker-tmp-${pkg}`,
    cleanTempDir: 'always',
    // The sandbox only needs the packages a test run loads.
    ignorePatterns: [
      '/kiosk-app',
      '/simulators/web',
      '/cloud/web',
      '/edge/web',
      '/deploy',
      '/docs',
      '/bench',
      '/reports',
      '**/dist',
      '.web-build-*',
      '.data',
      'test-artifacts',
    ],
  };
}

import { relative } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureWebBuilds, ROOT, WEB_APPS } from './web-builds.js';

/** Builds the stale apps that these test files (absolute paths) load in a browser. */
function buildFor(testFiles: string[]): Promise<void> {
  const files = testFiles.map((file) => relative(ROOT, file));
  const needed = WEB_APPS.filter((app) => files.some(app.neededBy));
  return ensureWebBuilds(needed, (line) => process.stderr.write(`[web builds] ${line}\n`));
}

/**
 * Vitest globalSetup: before the workers start, builds the web apps that this run's browser tests
 * load and whose sources changed since their last build. A run with nothing stale, or with no
 * browser test of an app, costs a hash of the sources. The tests then only read the built folders.
 */
export default async function buildWebAppsForTests(project: TestProject): Promise<void> {
  // The command line's file filters (`vitest run cloud/src/site`); not public API, so without
  // them every app whose browser tests exist is considered.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  await buildFor((await project.globTestFiles(filters)).testFiles);
  // Watch mode: a rerun after an edit to a web app sees it rebuilt.
  project.onTestsRerun((specifications) => buildFor(specifications.map((spec) => spec.moduleId)));
}

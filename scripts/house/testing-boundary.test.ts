import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Test helpers never ship: no runtime source (server, web app, renderer, demo) may import from a
 * `testing/` folder or a `*.test.ts` file, so a runtime build that leaves those out always compiles.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['shared', 'cloud', 'edge', 'kiosk-app', 'simulators'];
/** Where runtime code lives: each package's server code and browser apps, and the demo scripts. */
const RUNTIME_DIRS = [
  ...PACKAGES.flatMap((p) => ['src', 'web', 'renderer'].map((d) => `${p}/${d}`)),
  'scripts',
];
const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const TEST_FILE = /\.test\.(?:[cm]?[jt]sx?)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'testing']);

interface Scan {
  files: number;
  leaks: string[];
}

function runtimeSources(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : runtimeSources(full);
    return SOURCE.test(entry.name) && !TEST_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')
      ? [full]
      : [];
  });
}

/** A relative import that lands in a testing/ folder or a test file, or a package's ./testing entry. */
function isTestOnly(root: string, from: string, specifier: string): boolean {
  if (specifier.startsWith('.')) {
    // Relative to the repository, whose own folder may be called anything (even `testing`).
    const target = path.relative(root, path.resolve(path.dirname(from), specifier));
    return target.split(path.sep).includes('testing') || TEST_FILE.test(target);
  }
  return /^@clubos\/[^/]+\/testing(?:\/|$)/.test(specifier) || TEST_FILE.test(specifier);
}

function scan(root: string): Scan {
  const files = RUNTIME_DIRS.flatMap((dir) => runtimeSources(path.join(root, dir)));
  const leaks = files.flatMap((file) =>
    ts
      .preProcessFile(readFileSync(file, 'utf8'), true, true)
      .importedFiles.filter((imported) => isTestOnly(root, file, imported.fileName))
      .map((imported) => `${path.relative(root, file)} imports ${imported.fileName}`),
  );
  return { files: files.length, leaks };
}

describe('testing boundary', () => {
  const fixture = mkdtempSync(path.join(tmpdir(), 'testing-boundary-'));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it('reports a runtime import of a testing/ folder, a test file or a ./testing entry', () => {
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(fixture, file)), { recursive: true });
      writeFileSync(path.join(fixture, file), text);
    };
    write('cloud/src/testing/test-app.ts', "import { x } from '../app.js';\n");
    write('cloud/src/app.test.ts', "import { t } from './testing/test-app.js';\n");
    write('cloud/src/app.ts', "import { t } from './testing/test-app.js';\nexport const a = 1;\n");
    write('cloud/src/routes.ts', "export { b } from './app.test.js';\nimport './app.js';\n");
    write('edge/src/lazy.ts', "const m = await import('@clubos/cloud/testing');\n");
    write('kiosk-app/renderer/app.tsx', "import { k } from '@clubos/edge/testing/fake-cloud';\n");
    write('scripts/demo/start.ts', "import { v } from './testing/venue-day.js';\n");
    write('scripts/demo/testing/venue-day.ts', "import { s } from '../start.js';\n");

    expect(scan(fixture).leaks.sort()).toEqual([
      'cloud/src/app.ts imports ./testing/test-app.js',
      'cloud/src/routes.ts imports ./app.test.js',
      'edge/src/lazy.ts imports @clubos/cloud/testing',
      'kiosk-app/renderer/app.tsx imports @clubos/edge/testing/fake-cloud',
      'scripts/demo/start.ts imports ./testing/venue-day.js',
    ]);
  });

  it('finds no runtime source of any package importing a test helper or a test file', () => {
    const result = scan(REPO_ROOT);
    // Every package's runtime code was read (not an empty walk that passes by finding nothing).
    expect(result.files).toBeGreaterThan(300);
    expect(result.leaks).toEqual([]);
  });
});

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';

/** The repository root (this file is in scripts/). */
export const ROOT = join(import.meta.dirname, '..');
const SHARED_SRC = 'shared/src';
const STAMP = '.build-stamp';
/** Every build is a production build, even from a test run (vitest sets NODE_ENV=test). */
const BUILD_MODE = 'production';

/** A Vite web app of the workspace, built once per test run and by `npm start`, not per test. */
export interface WebApp {
  name: string;
  /** The package folder (vite runs there), relative to the root. */
  packageDir: string;
  /** The vite config, relative to the root. */
  viteConfig: string;
  /** Where the build lands (the server serves it from there), relative to the root. */
  outDir: string;
  /** Everything bundled into it: its own sources and the shared domain core. */
  sources: string[];
  /** A test file (root-relative path) that loads this app in a browser. */
  neededBy: (testFile: string) => boolean;
}

export const WEB_APPS: readonly WebApp[] = [
  {
    name: 'customer site and admin dashboard',
    packageDir: 'cloud',
    viteConfig: 'cloud/web/vite.config.ts',
    outDir: 'cloud/web/dist',
    sources: ['cloud/web', SHARED_SRC],
    neededBy: (file) => file.startsWith('cloud/') && file.endsWith('.e2e.test.ts'),
  },
  {
    name: 'staff console',
    packageDir: 'edge',
    viteConfig: 'edge/web/vite.config.ts',
    outDir: 'edge/web/dist',
    sources: ['edge/web', SHARED_SRC],
    neededBy: (file) => file.startsWith('edge/') && file.endsWith('.e2e.test.ts'),
  },
  {
    name: 'kiosk renderer',
    packageDir: 'kiosk-app',
    viteConfig: 'kiosk-app/renderer/vite.config.ts',
    outDir: 'kiosk-app/dist/renderer',
    sources: ['kiosk-app/renderer', SHARED_SRC],
    // The packaging test checks that the Linux package carries this build.
    neededBy: (file) => file.startsWith('kiosk-app/') && /(\.e2e|packaging)\.test\.ts$/.test(file),
  },
];

/** Source files of a folder, sorted: no builds, installs, dotfiles (temporary builds) or tests. */
function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const { name } = entry;
    if (name === 'dist' || name === 'node_modules' || name.startsWith('.') || /\.test\.tsx?$/.test(name)) {
      continue;
    }
    const path = join(dir, name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else files.push(path);
  }
  return files.sort();
}

/** A hash of every source file's path and content: equal hashes, equal builds (mtimes lie after a checkout). */
export function sourceHash(app: WebApp, root = ROOT): string {
  const hash = createHash('sha256').update(`mode=${BUILD_MODE}\0`);
  for (const dir of app.sources) {
    for (const file of sourceFiles(join(root, dir))) {
      hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

/** The hash the current build was made from, or null when there is no finished build. */
export function builtHash(app: WebApp, root = ROOT): string | null {
  const stamp = join(root, app.outDir, STAMP);
  return existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : null;
}

function runVite(app: WebApp, outDir: string, root: string): Promise<void> {
  // The app's own vite (each web app's package declares it; the root does not).
  const require = createRequire(join(root, app.packageDir, 'package.json'));
  const bin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const args = [bin, 'build', '--config', join(root, app.viteConfig), '--outDir', outDir, '--emptyOutDir'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, '--mode', BUILD_MODE], {
      cwd: join(root, app.packageDir),
      // Vite takes NODE_ENV from the environment: under vitest it is `test`, which bundles React's
      // development build (effects run twice under StrictMode) instead of what a venue runs.
      env: { ...process.env, NODE_ENV: BUILD_MODE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`vite build of the ${app.name} failed (exit ${code}):\n${output.slice(-4000)}`)),
    );
  });
}

/**
 * Builds `app` unless its last build was made from the same sources. The build goes to a folder
 * beside the target and is swapped in whole, so a server reading the target (a running demo, a
 * second test run) never sees half a build; two runs building at once both end with a whole one.
 */
export async function buildIfStale(app: WebApp, root = ROOT): Promise<'up to date' | 'built'> {
  const hash = sourceHash(app, root);
  if (builtHash(app, root) === hash) return 'up to date';
  const target = join(root, app.outDir);
  const temporary = join(dirname(target), `.web-build-${basename(target)}-${process.pid}`);
  try {
    await mkdir(dirname(target), { recursive: true });
    await runVite(app, temporary, root);
    await writeFile(join(temporary, STAMP), `${hash}\n`);
    await rm(target, { recursive: true, force: true });
    await rename(temporary, target).catch(async (error: unknown) => {
      // Another run swapped in its build first: fine when it was made from the same sources.
      const theirs = await readFile(join(target, STAMP), 'utf8').catch(() => '');
      if (theirs.trim() !== hash) throw error;
    });
    return 'built';
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

/** Builds each stale app in turn (two cores: one vite at a time), saying what it does. */
export async function ensureWebBuilds(
  apps: readonly WebApp[] = WEB_APPS,
  say: (line: string) => void = () => undefined,
  root = ROOT,
): Promise<void> {
  for (const app of apps) {
    const started = Date.now();
    if ((await buildIfStale(app, root)) === 'built') {
      say(`built the ${app.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }
}

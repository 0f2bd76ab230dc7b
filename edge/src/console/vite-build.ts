import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pure domain core every web app bundles: a change there makes a build stale. */
export const SHARED_SRC_DIR = fileURLToPath(new URL('../../../shared/src/', import.meta.url));

/** A Vite app built on demand by the browser tests (the staff console, the kiosk renderer). */
export interface ViteApp {
  /** Short name for messages, e.g. "console". */
  name: string;
  /** The package folder: vite runs here and its `dist/` holds the lock. */
  packageDir: string;
  /** The app's sources; `vite.config.ts` lives here. */
  sourceDir: string;
  /** Other folders bundled into the app (the shared domain core), watched for changes too. */
  alsoWatch?: string[];
  /** Where the build lands (its `.build-stamp` marks a finished build). */
  distDir: string;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestMtime(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

async function isFresh(app: ViteApp): Promise<boolean> {
  try {
    const built = (await stat(join(app.distDir, '.build-stamp'))).mtimeMs;
    const sources = await Promise.all([app.sourceDir, ...(app.alsoWatch ?? [])].map(newestMtime));
    return built >= Math.max(...sources);
  } catch {
    return false;
  }
}

function runViteBuild(app: ViteApp): Promise<void> {
  const bin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'build', '--config', join(app.sourceDir, 'vite.config.ts')], {
      cwd: app.packageDir,
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
 * Builds the app unless the last build is newer than its sources. Test workers run in parallel, so
 * a lock directory (mkdir is atomic) lets one build while the others wait for it.
 */
export async function ensureViteBuild(app: ViteApp, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const lock = join(app.packageDir, 'dist', `.${app.name}-build-lock`);
  await mkdir(join(app.packageDir, 'dist'), { recursive: true });
  for (;;) {
    if (await isFresh(app)) return;
    try {
      await mkdir(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for another ${app.name} build`);
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (!(await isFresh(app))) {
        await runViteBuild(app);
        await writeFile(join(app.distDir, '.build-stamp'), new Date().toISOString());
      }
      return;
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}

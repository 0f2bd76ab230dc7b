import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_DIST_DIR } from './site.plugin.js';

const CLOUD_DIR = fileURLToPath(new URL('../../', import.meta.url));
const WEB_DIR = join(CLOUD_DIR, 'web');
const SHARED_SRC = fileURLToPath(new URL('../../../shared/src/', import.meta.url));
const STAMP = join(WEB_DIST_DIR, '.build-stamp');
const LOCK = join(CLOUD_DIR, 'web', '.build-lock');

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

async function isFresh(): Promise<boolean> {
  try {
    const built = (await stat(STAMP)).mtimeMs;
    const sources = Math.max(await newestMtime(WEB_DIR), await newestMtime(SHARED_SRC));
    return built >= sources;
  } catch {
    return false;
  }
}

function runViteBuild(): Promise<void> {
  const vitePkg = createRequire(import.meta.url).resolve('vite/package.json');
  const bin = join(dirname(vitePkg), 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'build', '--config', join(WEB_DIR, 'vite.config.ts')], {
      cwd: CLOUD_DIR,
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
      code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code}):\n${output.slice(-4000)}`)),
    );
  });
}

/**
 * Builds the web apps unless the last build is newer than every source file (cloud/web and
 * shared/src), so a test run builds at most once however many files ask. A lock directory keeps
 * parallel test workers from building at the same time.
 */
export async function ensureWebBuild(timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isFresh()) return;
    try {
      await mkdir(LOCK);
    } catch {
      // Another worker is building; a lock older than the timeout was left by a crashed run.
      const age = Date.now() - (await stat(LOCK).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > timeoutMs) await rm(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another web build');
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (!(await isFresh())) {
        await runViteBuild();
        await writeFile(STAMP, new Date().toISOString());
      }
      return;
    } finally {
      await rm(LOCK, { recursive: true, force: true });
    }
  }
}

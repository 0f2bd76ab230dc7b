import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const KIOSK_DIR = fileURLToPath(new URL('../', import.meta.url));
const RENDERER_DIR = join(KIOSK_DIR, 'renderer');
/** The renderer's static build (git-ignored under dist/): what Electron loads from disk. */
export const RENDERER_DIST_DIR = join(KIOSK_DIR, 'dist', 'renderer');
const STAMP = join(RENDERER_DIST_DIR, '.build-stamp');
const LOCK = join(KIOSK_DIR, 'dist', '.renderer-build-lock');

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestMtime(path));
    else newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

async function isFresh(): Promise<boolean> {
  try {
    return (await stat(STAMP)).mtimeMs >= (await newestMtime(RENDERER_DIR));
  } catch {
    return false;
  }
}

function runViteBuild(): Promise<void> {
  const bin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'build', '--config', join(RENDERER_DIR, 'vite.config.ts')], {
      cwd: KIOSK_DIR,
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

/** Builds the renderer unless the last build is newer than its sources; a lock keeps workers apart. */
export async function ensureRendererBuild(timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await mkdir(join(KIOSK_DIR, 'dist'), { recursive: true });
  for (;;) {
    if (await isFresh()) return;
    try {
      await mkdir(LOCK);
    } catch {
      if (Date.now() > deadline) throw new Error('timed out waiting for another renderer build');
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

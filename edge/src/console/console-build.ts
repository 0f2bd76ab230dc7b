import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_DIST_DIR } from './console.plugin.js';
import { ensureViteBuild, SHARED_SRC_DIR } from './vite-build.js';

const EDGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the console unless the last build is newer than its sources (tests call this once each). */
export function ensureConsoleBuild(timeoutMs?: number): Promise<void> {
  return ensureViteBuild(
    {
      name: 'console',
      packageDir: EDGE_DIR,
      sourceDir: join(EDGE_DIR, 'web'),
      distDir: CONSOLE_DIST_DIR,
      alsoWatch: [SHARED_SRC_DIR],
    },
    timeoutMs,
  );
}

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureViteBuild, SHARED_SRC_DIR } from '@clubos/edge/console/vite-build';

const KIOSK_DIR = fileURLToPath(new URL('../', import.meta.url));
/** The renderer's static build (git-ignored under dist/): the edge serves it at `/kiosk/` (edge/src/app.ts). */
export const RENDERER_DIST_DIR = join(KIOSK_DIR, 'dist', 'renderer');

/** Builds the renderer unless the last build is newer than its sources. */
export function ensureRendererBuild(timeoutMs?: number): Promise<void> {
  return ensureViteBuild(
    {
      name: 'renderer',
      packageDir: KIOSK_DIR,
      sourceDir: join(KIOSK_DIR, 'renderer'),
      distDir: RENDERER_DIST_DIR,
      alsoWatch: [SHARED_SRC_DIR],
    },
    timeoutMs,
  );
}

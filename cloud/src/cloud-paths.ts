import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `cloud/` in the checkout: the nearest folder above this module holding a package.json. The same
 * answer from the TypeScript sources (`cloud/src/…`, run by tsx or vitest) and from the compiled
 * build (`cloud/dist/runtime/…`, tsconfig.build.json), so the migrations and the web build are
 * found from either (as edge/src/edge-paths.ts does for the edge).
 */
function packageDir(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export const CLOUD_DIR = packageDir();

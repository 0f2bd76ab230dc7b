import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the package a module belongs to: the nearest folder above it holding a package.json.
 * The same answer from the TypeScript sources (`edge/src/…`, run by tsx or vitest) and from the
 * compiled production build (`edge/dist/runtime/…`, see tsconfig.build.json), so data folders
 * (migrations, the console and kiosk builds) are found from either.
 */
export function packageDirOf(moduleUrl: string): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** `edge/` in the checkout. */
export const EDGE_DIR = packageDirOf(import.meta.url);

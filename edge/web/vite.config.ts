import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The staff console, served by the edge at `/console/` (edge/src/console/console.plugin.ts). */
export default defineConfig({
  root: here('.'),
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: here('./dist'), emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
});

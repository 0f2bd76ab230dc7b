import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The kiosk renderer: a static build with relative asset paths, served by the edge at `/kiosk/`
 * (where Electron loads it, same origin as the API) or from any other folder. Vite 8 compiles TSX
 * itself (oxc).
 */
export default defineConfig({
  root: here('.'),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One build for both cloud-served faces: the customer site (`site/index.html`, served at `/`) and
 * the admin dashboard (`admin/index.html`, served at `/admin/`), sharing `assets/` chunks.
 * Vite 8 compiles TSX itself (oxc), so no React plugin is needed for a production build.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { site: here('./site/index.html'), admin: here('./admin/index.html') },
    },
  },
});

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Paths that belong to the API or its docs: an unknown one there is a JSON 404, never the SPA page. */
const NOT_SPA = /^\/(api|docs|health)(\/|$)/;

export interface StaticFilesOptions {
  /** The Vite build output (contains `site/index.html`, `admin/index.html`, `assets/`). */
  distDir: string;
}

async function fileAt(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = normalize(join(root, decoded));
  // No escaping the build folder with `..`.
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    const info = await stat(full);
    return info.isFile() ? full : null;
  } catch {
    return null;
  }
}

/**
 * Serves the built web apps: files as they are (hashed `/assets/*` cached for a year), and the
 * single-page fallback — `/admin/…` gets the dashboard's index.html, every other page path the
 * booking site's — so a reload on a deep link works.
 */
export const staticFiles: FastifyPluginAsync<StaticFilesOptions> = async (app, opts) => {
  const root = normalize(opts.distDir);

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (NOT_SPA.test(path)) return reply.callNotFound();

    const file = path.endsWith('/') ? null : await fileAt(root, path);
    if (file) {
      const immutable = path.startsWith('/assets/');
      return reply
        .type(TYPES[extname(file)] ?? 'application/octet-stream')
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .send(createReadStream(file));
    }
    // A missing file with an extension is a real 404 (a stale asset), not a page to route.
    if (extname(path) && !path.endsWith('.html')) return reply.callNotFound();

    const app_ = path === '/admin' || path.startsWith('/admin/') ? 'admin' : 'site';
    const index = await fileAt(root, `/${app_}/index.html`);
    if (!index) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web apps are not built yet: run `pnpm --filter @clubos/cloud build:web`.');
    }
    return reply.type(TYPES['.html']!).header('cache-control', 'no-cache').send(createReadStream(index));
  });
};

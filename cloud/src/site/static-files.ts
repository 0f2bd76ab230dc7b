import { existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** Paths that belong to the API or its docs: an unknown one there is a JSON 404, never the SPA page. */
const NOT_SPA = /^\/(api|docs|health)(\/|$)/;

export interface StaticFilesOptions {
  /** The Vite build output (contains `site/index.html`, `admin/index.html`, `assets/`). */
  distDir: string;
}

/**
 * Serves the built web apps through @fastify/static (which refuses `..` and dotfiles and answers
 * conditional requests): files as they are, hashed `/assets/*` cached for a year, pages `no-cache`;
 * and the single-page fallback — `/admin/…` gets the dashboard's index.html, every other page path
 * the booking site's — so a reload on a deep link works.
 */
export const staticFiles: FastifyPluginAsync<StaticFilesOptions> = async (app, opts) => {
  const root = opts.distDir;
  const assets = join(root, 'assets') + sep;
  await app.register(fastifyStatic, {
    root,
    serve: false,
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders: (res, path) =>
      res.setHeader(
        'cache-control',
        path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  // @fastify/send's table (mime 3) still says application/javascript; RFC 9239 made text/javascript
  // the one type for scripts.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/javascript')) {
      reply.type('text/javascript; charset=utf-8');
    }
    return payload;
  });

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = `/${(request.params as { '*': string })['*']}`;
    if (NOT_SPA.test(path)) return reply.callNotFound();
    // A path with an extension is a file: served, or a real 404 (a stale asset), never a page;
    // only a missing `.html` path is a page to route.
    const ext = extname(path);
    if (ext !== '' && (ext !== '.html' || existsSync(join(root, normalize(path))))) {
      return reply.sendFile(path);
    }

    const page = path === '/admin' || path.startsWith('/admin/') ? 'admin' : 'site';
    if (!existsSync(join(root, page, 'index.html'))) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web apps are not built yet: run `pnpm --filter @clubos/cloud build:web`.');
    }
    return reply.sendFile(`${page}/index.html`);
  });
};

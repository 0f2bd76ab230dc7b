import { existsSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/**
 * The console's static build under `/console/`, through @fastify/static (which refuses `..` and
 * dotfiles and answers conditional requests): files as they are (hashed assets cached for a year),
 * and index.html for every other page path, so a reload on `/console/doors` works.
 */
export const consoleStatic: FastifyPluginAsync<{ distDir: string }> = async (app, { distDir }) => {
  const assets = join(distDir, 'assets') + sep;
  await app.register(fastifyStatic, {
    root: distDir,
    serve: false,
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders: (res, path) =>
      res.setHeader(
        'cache-control',
        path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  app.get('/console', async (_request, reply) => reply.redirect('/console/'));
  app.get<{ Params: { '*': string } }>('/console/*', async (request, reply) => {
    const rest = request.params['*'];
    // A path with an extension is a file: served, or a real 404 (a stale asset), not the app page.
    if (extname(rest) !== '') return reply.sendFile(rest);
    if (!existsSync(join(distDir, 'index.html'))) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The staff console is not built yet: run `pnpm --filter @clubos/edge build:console`.');
    }
    return reply.sendFile('index.html');
  });
};

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

async function fileAt(root: string, relative: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = normalize(join(root, decoded));
  // No escaping the build folder with `..`.
  if (!full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    return (await stat(full)).isFile() ? full : null;
  } catch {
    return null;
  }
}

/**
 * The console's static build under `/console/`: files as they are (hashed assets cached for a year),
 * and index.html for every other page path, so a reload on `/console/doors` works.
 */
export const consoleStatic: FastifyPluginAsync<{ distDir: string }> = async (app, { distDir }) => {
  const root = normalize(distDir);
  app.get('/console', async (_request, reply) => reply.redirect('/console/'));
  app.get('/console/*', async (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    const file = rest === '' ? null : await fileAt(root, rest);
    if (file !== null) {
      return reply
        .type(TYPES[extname(file)] ?? 'application/octet-stream')
        .header(
          'cache-control',
          rest.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
        .send(createReadStream(file));
    }
    // A missing file with an extension is a stale asset: a real 404, not the app page.
    if (extname(rest) !== '') return reply.callNotFound();
    const index = await fileAt(root, 'index.html');
    if (index === null) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The staff console is not built yet: run `pnpm --filter @clubos/edge build:console`.');
    }
    return reply
      .type(TYPES['.html'] as string)
      .header('cache-control', 'no-cache')
      .send(createReadStream(index));
  });
};

import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { EdgeServices } from '../composition-root.js';
import { EDGE_DIR } from '../edge-paths.js';
import { consoleRoutes } from './console.routes.js';
import { consoleStatic } from './console-static.js';

/** The console's Vite build (git-ignored under dist/). */
export const CONSOLE_DIST_DIR = join(EDGE_DIR, 'web', 'dist/');

/**
 * The staff console on the LAN: its static build at `/console/` and the few console-only endpoints
 * (board, audit log, change events). Everything else it calls is the ordinary LAN API, so the
 * console works the same with the internet down.
 */
export const consolePlugin = fp<{ edge: EdgeServices; distDir?: string; tickMs?: number }>(
  async (app, options) => {
    await app.register(consoleRoutes, {
      edge: options.edge,
      ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
    });
    await app.register(consoleStatic, { distDir: options.distDir ?? CONSOLE_DIST_DIR });
  },
  { name: 'edge-console' },
);

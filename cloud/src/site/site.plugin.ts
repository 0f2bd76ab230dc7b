import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { CLOUD_DIR } from '../cloud-paths.js';
import { type AvailabilityEventsOptions, availabilityEventsRoutes } from './availability-events.routes.js';
import { ChangeHeadWatcher } from './change-head.watcher.js';
import { siteFacilitiesRoutes } from './site-facilities.routes.js';
import { staticFiles } from './static-files.js';

/** Where `vite build` (cloud/web/vite.config.ts) writes the customer site and the dashboard. */
export const WEB_DIST_DIR = join(CLOUD_DIR, 'web', 'dist/');

export interface SitePluginOptions {
  distDir?: string;
  events?: AvailabilityEventsOptions;
}

/**
 * The cloud's web faces: the customer booking site at `/`, the admin dashboard at `/admin/`
 * (static Vite builds with SPA fallback), plus the two API pieces only they need — the public
 * venue list and the live availability stream.
 */
const site: FastifyPluginAsync<SitePluginOptions> = async (app, opts) => {
  const { changeLog } = app.services;
  const watcher = new ChangeHeadWatcher(
    async (facilityId) => (await changeLog.cursor(facilityId)).lastSeq,
    opts.events?.pollIntervalMs ?? app.config.cluster.livePollMs ?? 250,
    (error) => app.log.warn({ err: error }, 'availability events: reading the change-log head failed'),
  );
  // Any write answered by this instance may have moved a change log: look now, not at the next tick.
  // (This plugin is wrapped with fastify-plugin so the hook sees every route, not only its own.)
  // An append here, or a commit on any instance (LISTEN, src/cluster/change-notify.listener.ts).
  const stopListening = changeLog.onAppend(() => watcher.nudge());
  app.addHook('preClose', async () => {
    stopListening();
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) watcher.nudge();
  });

  await app.register(
    async (api) => {
      await api.register(siteFacilitiesRoutes);
      await api.register(availabilityEventsRoutes, { ...opts.events, watcher });
    },
    { prefix: '/api/v1' },
  );
  await app.register(staticFiles, { distDir: opts.distDir ?? WEB_DIST_DIR });
};

export const sitePlugin = fp(site, { name: 'clubos-site' });

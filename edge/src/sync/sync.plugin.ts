import fp from 'fastify-plugin';
import type { OutboxUploader } from './outbox-uploader.js';
import type { PullLoop } from './pull-loop.js';

/**
 * Runs the pull loop and the outbox uploader for the life of the server: started on ready, stopped
 * (and awaited, so no request is in flight against a closed database) on close.
 */
export const syncPlugin = fp<{ pull: PullLoop; uploader: OutboxUploader }>(
  async (app, { pull, uploader }) => {
    app.addHook('onReady', async () => {
      pull.start();
      uploader.start();
    });
    app.addHook('onClose', async () => {
      await Promise.all([pull.stop(), uploader.stop()]);
    });
  },
  { name: 'edge-sync' },
);

import path from 'node:path';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { AuthService } from './auth/auth.service.js';
import { BookingService } from './bookings/booking.service.js';
import type { EdgeConfig } from './config.js';
import { type EdgeDatabase, openDatabase } from './db/database.js';
import { CloudFeedClient } from './sync/cloud-feed.client.js';
import type { CloudFeed } from './sync/cloud-feed.js';
import { createForwarder } from './sync/forwarder.js';
import { LinkState } from './sync/link-state.js';
import { OutboxUploader } from './sync/outbox-uploader.js';
import { PullLoop } from './sync/pull-loop.js';
import { readSyncState } from './sync/replica.repository.js';
import { createWalkInAckHandler } from './walk-ins/reconciliation.service.js';
import { WALK_IN_EVENT } from './walk-ins/walk-in.event.js';
import { WalkInService } from './walk-ins/walk-in.service.js';
import { fileKeyStore, memoryKeyStore } from './walk-ins/walk-in-credentials.js';

/** How long a kiosk sale waits for the cloud before selling under the offline rule. */
const FORWARD_TIMEOUT_MS = 3_000;

/** The edge's services, wired once per process (or per test app). Plugins start and stop the loops. */
export interface EdgeContext {
  config: EdgeConfig;
  database: EdgeDatabase;
  now: () => number;
  /** Null when no cloud is configured. */
  sync: { link: LinkState; pull: PullLoop; uploader: OutboxUploader } | null;
  auth: AuthService;
  bookings: BookingService;
  walkIns: WalkInService;
}

export interface EdgeContextOptions {
  config: EdgeConfig;
  log: Logger;
  /** A substitute for the HTTP feed client (tests); by default one is built from CLOUD_URL. */
  feed?: CloudFeed;
  now?: () => number;
}

export function createEdgeContext(options: EdgeContextOptions): EdgeContext {
  const { config, log } = options;
  const now = options.now ?? Date.now;
  const database = openDatabase(config.databaseFile);
  const feed =
    options.feed ??
    (config.cloudUrl === ''
      ? null
      : new CloudFeedClient({
          baseUrl: config.cloudUrl,
          edgeKey: config.edgeKey,
          requestTimeoutMs: config.sync.requestTimeoutMs,
          facilityId: () => config.facilityId || readSyncState(database.db)?.facility_id || null,
        }));
  let sync: EdgeContext['sync'] = null;
  if (feed !== null) {
    const link = new LinkState(log.child({ component: 'sync' }), now);
    const pull = new PullLoop(
      database,
      feed,
      link,
      { ...config.sync, limit: config.sync.pullLimit, facilityId: config.facilityId },
      log.child({ component: 'pull' }),
      now,
    );
    const uploader = new OutboxUploader(
      database,
      feed,
      link,
      { ...config.sync, batchSize: config.sync.uploadBatch },
      log.child({ component: 'outbox' }),
      now,
    );
    uploader.onAck(WALK_IN_EVENT, createWalkInAckHandler(database, now));
    sync = { link, pull, uploader };
  }
  const walkIns = new WalkInService({
    database,
    forward: sync === null || feed === null ? null : createForwarder(feed, sync.link, FORWARD_TIMEOUT_MS),
    wakeUploader: () => sync?.uploader.wake(),
    wakePull: () => sync?.pull.wake(),
    now,
    // Beside the database, so walk-in QR tokens keep opening doors after a restart.
    signingKeys:
      config.databaseFile === ':memory:'
        ? memoryKeyStore()
        : fileKeyStore(path.join(path.dirname(config.databaseFile), 'walk-in-signing.key')),
  });
  return {
    config,
    database,
    now,
    sync,
    auth: new AuthService(database, config.staffSessionMs, now),
    bookings: new BookingService(database, config.accessTokenPublicKey, now, () =>
      walkIns.signingKeys.publicKey(),
    ),
    walkIns,
  };
}

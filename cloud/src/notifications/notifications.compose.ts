import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type Clock, fromDrizzle, fromPglite, PgBoss } from 'pg-boss';
import type { CloudConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { poolConfig } from '../db/host-list.js';
import { LinkTokens } from './link-tokens.js';
import { NotificationQueue } from './notification.queue.js';
import { NotificationRepository } from './notification.repository.js';
import { NotificationSender } from './notification.sender.js';
import { NotificationStatusService, type OfferAcceptor } from './notification-status.service.js';

/**
 * pg-boss on the cloud's own database: on PostgreSQL its own small pool (LISTEN/NOTIFY wakes the
 * workers), on embedded PGlite the one in-process connection through pg-boss's PGlite adapter.
 */
function jobBoss(db: Database, config: CloudConfig, clock: Clock | undefined): PgBoss {
  // Supervision finds jobs whose worker stopped heartbeating; every 10 s rather than each minute.
  const common = { schema: 'pgboss', superviseIntervalSeconds: 10, ...(clock ? { clock } : {}) };
  if (config.databaseUrl) {
    // The same host list as the main pool: pg-boss spreads its options into its pg.Pool.
    return new PgBoss({
      ...(poolConfig(config.databaseUrl) as { connectionString?: string }),
      max: 4,
      ...common,
    });
  }
  const client = (db as unknown as { $client: unknown }).$client;
  if (client instanceof PGlite) return new PgBoss({ db: fromPglite(client), backend: 'pglite', ...common });
  return new PgBoss({ db: fromDrizzle(db as never, sql as never), ...common });
}

/**
 * The notifications' parts, for the composition root: the admin status service always, the queue
 * (with its SMTP sender) only when SMTP_URL is set.
 */
export function buildNotifications(
  db: Database,
  config: CloudConfig,
  log: FastifyBaseLogger,
  acceptOffer: OfferAcceptor,
): { notificationQueue: NotificationQueue | null; notificationStatus: NotificationStatusService } {
  const repo = new NotificationRepository(db);
  const tokens = new LinkTokens(config.jwtSecret);
  const n = config.notifications;
  const clock = n.clock;
  const queue = n.smtpUrl
    ? new NotificationQueue(
        jobBoss(db, config, clock),
        repo,
        new NotificationSender(repo, tokens, {
          smtpUrl: n.smtpUrl,
          mailFrom: n.mailFrom,
          publicUrl: n.publicUrl,
          clock: () => (clock ?? Date).now(),
        }),
        log.child({ module: 'notifications' }),
        {
          pollIntervalMs: n.pollIntervalMs,
          retryLimit: n.retryLimit,
          retryDelaySeconds: n.retryDelaySeconds,
          ...(clock ? { clock } : {}),
        },
      )
    : null;
  return {
    notificationQueue: queue,
    notificationStatus: new NotificationStatusService(repo, tokens, queue !== null, acceptOffer),
  };
}

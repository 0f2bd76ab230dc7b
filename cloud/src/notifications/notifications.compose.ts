import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type Clock, fromDrizzle, fromPglite, PgBoss } from 'pg-boss';
import type { DependencyBreakers } from '../common/circuit-breaker.js';
import type { CloudConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { poolConfig } from '../db/host-list.js';
import { LinkTokens } from './link-tokens.js';
import { type ChannelSenders, NotificationQueue } from './notification.queue.js';
import { NotificationRepository } from './notification.repository.js';
import { NotificationSender } from './notification.sender.js';
import { NotificationPreferenceRepository } from './notification-preferences.repository.js';
import { NotificationPreferencesService } from './notification-preferences.service.js';
import {
  NotificationStatusService,
  type OfferAcceptor,
  type SessionExtender,
} from './notification-status.service.js';
import { SmsSender } from './sms.sender.js';
import { SmsOptOutRepository } from './sms-opt-out.repository.js';
import { SmsWebhookService } from './sms-webhook.service.js';
import { twilioClient } from './twilio.client.js';

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
 * The notifications' parts, for the composition root: the admin status service and the SMS
 * webhooks always, the queue when a channel can send (SMTP_URL for email, TWILIO_* for SMS).
 */
export function buildNotifications(
  db: Database,
  config: CloudConfig,
  log: FastifyBaseLogger,
  breakers: DependencyBreakers,
  acceptOffer: OfferAcceptor,
  extender?: SessionExtender,
): {
  notificationQueue: NotificationQueue | null;
  notificationStatus: NotificationStatusService;
  smsWebhooks: SmsWebhookService;
  notificationPreferences: NotificationPreferencesService;
} {
  const repo = new NotificationRepository(db);
  const optOuts = new SmsOptOutRepository(db);
  const tokens = new LinkTokens(config.jwtSecret);
  const n = config.notifications;
  const clock = n.clock;
  const now = () => (clock ?? Date).now();
  const senders: ChannelSenders = {};
  if (n.smtpUrl) {
    senders.email = new NotificationSender(repo, tokens, {
      smtpUrl: n.smtpUrl,
      mailFrom: n.mailFrom,
      publicUrl: n.publicUrl,
      clock: now,
      breaker: breakers.smtp,
    });
  }
  if (n.sms) {
    senders.sms = new SmsSender(repo, optOuts, twilioClient(n.sms, breakers.twilio), tokens, {
      from: n.sms.from,
      messagingServiceSid: n.sms.messagingServiceSid,
      publicUrl: n.publicUrl,
      clock: now,
    });
  }
  const queue =
    Object.keys(senders).length > 0
      ? new NotificationQueue(
          jobBoss(db, config, clock),
          repo,
          senders,
          log.child({ module: 'notifications' }),
          {
            pollIntervalMs: n.pollIntervalMs,
            retryLimit: n.retryLimit,
            retryDelaySeconds: n.retryDelaySeconds,
            ...(clock ? { clock } : {}),
            ...(extender ? { canExtend: (id: string, end: number) => extender.canExtend(id, end) } : {}),
          },
        )
      : null;
  return {
    notificationQueue: queue,
    notificationStatus: new NotificationStatusService(
      repo,
      tokens,
      senders.email !== undefined,
      acceptOffer,
      senders.sms !== undefined,
      extender,
    ),
    notificationPreferences: new NotificationPreferencesService(
      new NotificationPreferenceRepository(db),
      tokens,
      now,
    ),
    smsWebhooks: new SmsWebhookService(repo, optOuts, n.sms?.authToken, n.publicUrl),
  };
}

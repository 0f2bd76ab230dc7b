import { ConfigError, EnvInt, EnvOptional, EnvText, EnvUrl } from '@clubos/shared/config';
import type { Static, TObject } from '@sinclair/typebox';
import type { Clock } from 'pg-boss';

/** Customer email (SMTP) and SMS (Twilio) (src/notifications/). */
export const NOTIFICATIONS_ENV = {
  SMTP_URL: EnvOptional({
    pattern: '^smtps?://',
    description: 'a URL starting with smtp:// or smtps://',
    secret: true,
  }),
  MAIL_FROM: EnvText('ClubOS Booking <no-reply@clubos.local>'),
  PUBLIC_URL: EnvUrl(),
  NOTIFY_POLL_INTERVAL_MS: EnvInt(1_000, 50, 60_000),
  NOTIFY_RETRY_LIMIT: EnvInt(8, 0, 100),
  NOTIFY_RETRY_DELAY_SECONDS: EnvInt(5, 1, 3_600),
};

export const SMS_ENV = {
  TWILIO_ACCOUNT_SID: EnvOptional({
    pattern: '^AC[0-9a-fA-F]{32}$',
    description: 'a Twilio Account SID (AC + 32 hex)',
  }),
  TWILIO_AUTH_TOKEN: EnvOptional({ minLength: 8, secret: true }),
  TWILIO_FROM: EnvOptional({
    pattern: '^\\+[1-9][0-9]{6,14}$',
    description: 'an E.164 number such as +15005550006',
  }),
  TWILIO_MESSAGING_SERVICE_SID: EnvOptional({
    pattern: '^MG[0-9a-fA-F]{32}$',
    description: 'a Messaging Service SID (MG…)',
  }),
  TWILIO_API_BASE_URL: EnvUrl(),
  TWILIO_TIMEOUT_MS: EnvInt(10_000, 100, 120_000),
  PHONE_DEFAULT_REGION: EnvOptional({
    pattern: '^[A-Z]{2}$',
    description: 'an ISO 3166 country code such as CA',
  }),
};

export interface NotificationsConfig {
  /** `SMTP_URL` for nodemailer (smtp://host:port, smtps://user:pass@host:465); undefined → off. */
  smtpUrl: string | undefined;
  /** `MAIL_FROM`, the From of every message. */
  mailFrom: string;
  /** `PUBLIC_URL`: the origin customers reach the cloud at (unsubscribe and accept links). */
  publicUrl: string;
  /** How often the dispatcher turns outbox rows into jobs (and the job queue polls). */
  pollIntervalMs: number;
  /** A failing send is retried this many times with exponential backoff, then shown as failed. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** Tests only: a pg-boss `TestClock` that drives the queue and the reminder times. */
  clock?: Clock;
  /** Customer SMS through Twilio; undefined (no `TWILIO_ACCOUNT_SID`) → SMS off, logged once. */
  sms?: SmsConfig | undefined;
  /** `PHONE_DEFAULT_REGION` (ISO 3166 alpha-2): how a phone without +country is read, unless the facility says. */
  phoneRegion: string;
}

export interface SmsConfig {
  accountSid: string;
  authToken: string;
  /** `TWILIO_FROM` (an E.164 number of the account) or `TWILIO_MESSAGING_SERVICE_SID` (MG…). */
  from: string | undefined;
  messagingServiceSid: string | undefined;
  /** `TWILIO_API_BASE_URL`: the simulator's origin; undefined → api.twilio.com. */
  apiBaseUrl: string | undefined;
  timeoutMs: number;
}

/** `defaultPublicUrl` (the server's own host and port) stands in for an absent PUBLIC_URL. */
export function notificationsConfig(
  env: Static<TObject<typeof NOTIFICATIONS_ENV>> & Static<TObject<typeof SMS_ENV>>,
  defaultPublicUrl: string,
): NotificationsConfig {
  return {
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    publicUrl: (env.PUBLIC_URL ?? defaultPublicUrl).replace(/\/+$/, ''),
    pollIntervalMs: env.NOTIFY_POLL_INTERVAL_MS,
    retryLimit: env.NOTIFY_RETRY_LIMIT,
    retryDelaySeconds: env.NOTIFY_RETRY_DELAY_SECONDS,
    sms: smsConfig(env),
    phoneRegion: env.PHONE_DEFAULT_REGION ?? 'US',
  };
}

/** Twilio settings: all of SID, token and a sender, or none (SMS off). */
function smsConfig(env: Static<TObject<typeof SMS_ENV>>): SmsConfig | undefined {
  if (!env.TWILIO_ACCOUNT_SID) return undefined;
  if (!env.TWILIO_AUTH_TOKEN)
    throw new ConfigError('TWILIO_AUTH_TOKEN', 'is required with TWILIO_ACCOUNT_SID');
  if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID) {
    throw new ConfigError(
      'TWILIO_FROM',
      'or TWILIO_MESSAGING_SERVICE_SID is required with TWILIO_ACCOUNT_SID',
    );
  }
  return {
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    from: env.TWILIO_FROM,
    messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
    apiBaseUrl: env.TWILIO_API_BASE_URL?.replace(/\/+$/, ''),
    timeoutMs: env.TWILIO_TIMEOUT_MS,
  };
}

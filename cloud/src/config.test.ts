import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clubos-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts with zero set-up and persists generated secrets in the data folder', () => {
    const env = { CLOUD_DATA_DIR: dir };
    const first = loadConfig({ env });
    expect(first.databaseUrl).toBeUndefined();
    expect(first.port).toBe(3000);
    expect(first.accessSigningKey).toMatch(/^[0-9a-f]{64}$/);
    const second = loadConfig({ env });
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.accessSigningKey).toBe(first.accessSigningKey);
    const file = path.join(dir, 'secrets', 'jwt_secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '4190'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['JWT_SECRET', 'short'],
    ['ACCESS_SIGNING_KEY', 'xyz'],
    ['ADMIN_PASSWORD', 'short'],
    ['RATE_LIMIT_ENABLED', 'maybe'],
    ['CHANGE_LOG_RETENTION_HOURS', '0'],
    ['CHANGE_LOG_COMPACTION_INTERVAL_MS', '-5'],
    ['STRIPE_SECRET_KEY', 'pk_test_123'],
    ['STRIPE_WEBHOOK_SECRET', 'secret'],
    ['STRIPE_API_URL', 'localhost:12111'],
    ['STRIPE_API_URL', 'http://127.0.0.1:12111/v1'],
    ['STRIPE_MAX_NETWORK_RETRIES', '11'],
  ])('names %s when it is %s', (variable, value) => {
    const run = () => loadConfig({ env: { CLOUD_DATA_DIR: dir, [variable]: value } });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(variable);
  });

  it('says what the bad value is and what is allowed, without echoing secrets', () => {
    const run = (env: Record<string, string>) => () => loadConfig({ env: { CLOUD_DATA_DIR: dir, ...env } });
    expect(run({ HOLD_TTL_SECONDS: '5' })).toThrow(
      'invalid configuration: HOLD_TTL_SECONDS must be an integer from 30 to 86400, got "5"',
    );
    expect(run({ LOG_LEVEL: 'loud' })).toThrow(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    );
    expect(run({ ADMIN_PASSWORD: 'hunter2' })).toThrow(
      'ADMIN_PASSWORD must be at least 10 characters, got a value of 7 characters',
    );
  });

  it('takes values from the environment', () => {
    const config = loadConfig({
      env: {
        CLOUD_DATA_DIR: dir,
        DATABASE_URL: 'postgres://u@h/db',
        PORT: '8080',
        HOST: '0.0.0.0',
        JWT_SECRET: 'x'.repeat(40),
        LOG_LEVEL: 'WARN',
      },
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://u@h/db',
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'warn',
    });
    expect(config.jwtSecret).toBe('x'.repeat(40));
  });

  it('compacts the change log hourly with a week of retention unless told otherwise', () => {
    expect(loadConfig({ env: { CLOUD_DATA_DIR: dir } }).changeLog).toEqual({
      retentionHours: 168,
      compactionIntervalMs: 3_600_000,
    });
    const env = {
      CLOUD_DATA_DIR: dir,
      CHANGE_LOG_RETENTION_HOURS: '48',
      CHANGE_LOG_COMPACTION_INTERVAL_MS: '0',
    };
    expect(loadConfig({ env }).changeLog).toEqual({ retentionHours: 48, compactionIntervalMs: 0 });
  });

  it('leaves online payment off without a Stripe key, and points the SDK at STRIPE_API_URL', () => {
    expect(loadConfig({ env: { CLOUD_DATA_DIR: dir } }).payments).toEqual({
      stripeSecretKey: undefined,
      webhookSecret: undefined,
      api: undefined,
      maxNetworkRetries: 2,
      timeoutMs: 10_000,
      reconcileCron: '30 3 * * *',
    });
    const env = {
      CLOUD_DATA_DIR: dir,
      STRIPE_SECRET_KEY: 'sk_test_clubos_simulator',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
      STRIPE_API_URL: 'http://127.0.0.1:12111',
      STRIPE_MAX_NETWORK_RETRIES: '0',
    };
    expect(loadConfig({ env }).payments).toEqual({
      stripeSecretKey: 'sk_test_clubos_simulator',
      webhookSecret: 'whsec_abc123',
      api: { host: '127.0.0.1', port: 12111, protocol: 'http' },
      maxNetworkRetries: 0,
      timeoutMs: 10_000,
      reconcileCron: '30 3 * * *',
    });
    const https = loadConfig({ env: { CLOUD_DATA_DIR: dir, STRIPE_API_URL: 'https://stripe.test/' } });
    expect(https.payments.api).toEqual({ host: 'stripe.test', port: 443, protocol: 'https' });
  });

  it('keeps the Stripe secrets out of the message', () => {
    const run = () => loadConfig({ env: { CLOUD_DATA_DIR: dir, STRIPE_SECRET_KEY: 'sk_nope_abcdef' } });
    expect(run).toThrow(
      'STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_… or sk_live_…), got a value of 14 characters',
    );
  });

  it('SMS is off without TWILIO_ACCOUNT_SID, and needs its token and a sender with it', () => {
    const sid = `AC${'0'.repeat(31)}1`;
    const run = (env: Record<string, string>) => () => loadConfig({ env: { CLOUD_DATA_DIR: dir, ...env } });
    expect(run({})().notifications.sms).toBeUndefined();
    expect(run({ TWILIO_ACCOUNT_SID: sid })).toThrow('TWILIO_AUTH_TOKEN');
    expect(run({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'a-token-123' })).toThrow('TWILIO_FROM');
    expect(run({ TWILIO_FROM: '5550006' })).toThrow('TWILIO_FROM');
    const sms = run({
      TWILIO_ACCOUNT_SID: sid,
      TWILIO_AUTH_TOKEN: 'a-token-123',
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: 'http://127.0.0.1:4040/',
      PHONE_DEFAULT_REGION: 'CA',
    })().notifications;
    expect(sms.sms).toMatchObject({
      accountSid: sid,
      from: '+15005550006',
      apiBaseUrl: 'http://127.0.0.1:4040',
    });
    expect(sms.phoneRegion).toBe('CA');
  });
});

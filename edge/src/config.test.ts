import { describe, expect, it } from 'vitest';
import { ConfigError, EDGE_ENV, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs with no set-up: sync disabled, defaults filled', () => {
    const config = loadConfig({});
    expect(config.cloudUrl).toBe('');
    expect(config.port).toBe(4100);
    expect(config.mqttPort).toBe(1883);
    expect(config.backupKeep).toBe(7);
    expect(config.databaseFile.endsWith('edge.sqlite')).toBe(true);
    expect(config.bootstrapStaff).toBeNull();
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      EDGE_DATA_DIR: '/tmp/edge-x',
      CLOUD_URL: 'https://cloud.example.com/',
      EDGE_KEY: 'k1',
      FACILITY_ID: '0b6f8f7e-1c1d-4c59-9a51-3f0a7d9f2a10',
      PORT: '0',
      MQTT_PORT: '18830',
      EDGE_BACKUP_KEEP: '3',
      EDGE_STAFF_USERNAME: 'manager',
      EDGE_STAFF_PASSWORD: 'long-enough',
    });
    expect(config.cloudUrl).toBe('https://cloud.example.com');
    expect(config.databaseFile).toBe('/tmp/edge-x/edge.sqlite');
    expect(config.backupDir).toBe('/tmp/edge-x/backups');
    expect(config.mqttPort).toBe(18830);
    expect(config.backupKeep).toBe(3);
    expect(config.bootstrapStaff).toEqual({ username: 'manager', password: 'long-enough' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '4190' }, 'PORT'],
    [{ MQTT_PORT: '-1' }, 'MQTT_PORT'],
    [{ CLOUD_URL: 'not a url', EDGE_KEY: 'k' }, 'CLOUD_URL'],
    [{ CLOUD_URL: 'ftp://x', EDGE_KEY: 'k' }, 'CLOUD_URL'],
    [{ CLOUD_URL: 'http://cloud' }, 'EDGE_KEY'],
    [{ FACILITY_ID: 'bay-1' }, 'FACILITY_ID'],
    [{ EDGE_BACKUP_KEEP: '0' }, 'EDGE_BACKUP_KEEP'],
    [{ EDGE_BACKUP_CRON: 'every night' }, 'EDGE_BACKUP_CRON'],
    [{ EDGE_STAFF_USERNAME: 'manager' }, 'EDGE_STAFF_PASSWORD'],
    [{ EDGE_STAFF_USERNAME: 'm', EDGE_STAFF_PASSWORD: 'short' }, 'EDGE_STAFF_PASSWORD'],
    [{ SYNC_BACKOFF_BASE_MS: '5000', SYNC_BACKOFF_MAX_MS: '100' }, 'SYNC_BACKOFF_MAX_MS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('names the bad variable: %j', (env, variable) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as Error).message).toContain(variable);
  });

  it('leaves walk-in payment to the cloud policy unless the box overrides it, checking the override', () => {
    expect(loadConfig({}).walkInPayment).toEqual({ card: null, toCollectCapCents: null });
    expect(
      loadConfig({ WALK_IN_CARD_PAYMENT: 'false', WALK_IN_TO_COLLECT_CAP_CENTS: '0' }).walkInPayment,
    ).toEqual({ card: false, toCollectCapCents: 0 });
    expect(() => loadConfig({ WALK_IN_CARD_PAYMENT: 'yes' })).toThrow('WALK_IN_CARD_PAYMENT');
    expect(() => loadConfig({ WALK_IN_TO_COLLECT_CAP_CENTS: '-1' })).toThrow('WALK_IN_TO_COLLECT_CAP_CENTS');
  });

  it('says what the bad value is and what is allowed', () => {
    expect(() => loadConfig({ SYNC_PULL_LIMIT: '5000' })).toThrow(
      'invalid configuration: SYNC_PULL_LIMIT must be an integer from 1 to 1000, got "5000"',
    );
    expect(() => loadConfig({ FACILITY_ID: 'bay-1' })).toThrow('FACILITY_ID must be a UUID, got "bay-1"');
  });

  it('checks the doors’ and bays’ variables too: one schema for the whole edge', () => {
    expect(() => loadConfig({ SESSION_TICK_SECONDS: '5' })).toThrow(
      'SESSION_TICK_SECONDS must be an integer from 15 to 30, got "5"',
    );
    expect(Object.keys(EDGE_ENV.properties)).toEqual(
      expect.arrayContaining(['PORT', 'CLOUD_URL', 'UNIFI_URL', 'NINJAONE_URL', 'NO_SHOW_GRACE_MINUTES']),
    );
  });
});

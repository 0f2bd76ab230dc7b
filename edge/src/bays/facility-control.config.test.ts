import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config.js';
import { loadFacilityControlConfig } from './facility-control.config.js';

describe('loadFacilityControlConfig', () => {
  it('runs with nothing configured: no UniFi, no NinjaOne, design defaults for sessions', () => {
    expect(loadFacilityControlConfig({})).toMatchObject({
      unifi: null,
      ninjaone: null,
      sessionTickSeconds: 15,
      prepareLeadMinutes: 10,
      warnLeadMinutes: 5,
      noShowGraceMinutes: 15,
    });
  });

  it('reads UniFi and NinjaOne settings', () => {
    const config = loadFacilityControlConfig({
      UNIFI_URL: 'https://10.0.0.2:12445/',
      UNIFI_TOKEN: 't',
      NINJAONE_URL: 'https://eu.ninjarmm.com',
      NINJAONE_CLIENT_ID: 'id',
      NINJAONE_CLIENT_SECRET: 's',
      NO_SHOW_GRACE_MINUTES: '20',
    });
    expect(config.unifi).toEqual({ baseUrl: 'https://10.0.0.2:12445', token: 't', caFile: null });
    expect(config.ninjaone).toMatchObject({ clientId: 'id', refreshToken: null });
    expect(config.noShowGraceMinutes).toBe(20);
  });

  it.each([
    [{ UNIFI_URL: 'https://x' }, 'UNIFI_TOKEN'],
    [{ UNIFI_URL: 'ftp://x', UNIFI_TOKEN: 't' }, 'UNIFI_URL'],
    [{ NINJAONE_URL: 'https://x', NINJAONE_CLIENT_ID: 'id' }, 'NINJAONE_CLIENT_SECRET'],
    [{ SESSION_TICK_SECONDS: '5' }, 'SESSION_TICK_SECONDS'],
    [{ NO_SHOW_GRACE_MINUTES: 'soon' }, 'NO_SHOW_GRACE_MINUTES'],
  ])('names the bad variable: %o', (env, variable) => {
    const error = (() => {
      try {
        loadFacilityControlConfig(env);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });

  it('reads the webhook URL UniFi should call, only with a controller configured', () => {
    expect(loadFacilityControlConfig({}).unifiWebhookUrl).toBeNull();
    expect(
      loadFacilityControlConfig({
        UNIFI_URL: 'https://10.0.0.2:12445',
        UNIFI_TOKEN: 't',
        UNIFI_WEBHOOK_URL: 'http://10.0.0.5:8080/api/v1/unifi/webhooks',
      }).unifiWebhookUrl,
    ).toBe('http://10.0.0.5:8080/api/v1/unifi/webhooks');
    expect(() => loadFacilityControlConfig({ UNIFI_WEBHOOK_URL: 'http://10.0.0.5/x' })).toThrow(
      /UNIFI_WEBHOOK_URL/,
    );
    expect(() =>
      loadFacilityControlConfig({ UNIFI_URL: 'https://u', UNIFI_TOKEN: 't', UNIFI_WEBHOOK_URL: 'ftp://x' }),
    ).toThrow(/UNIFI_WEBHOOK_URL/);
  });
});

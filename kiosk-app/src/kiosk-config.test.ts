import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KioskConfigError, loadKioskConfig, parseKioskConfig } from './kiosk-config.js';

const KEY = 'kiosk_0123456789abcdef';

describe('kiosk config', () => {
  it('accepts a valid file and normalises the edge address', () => {
    expect(parseKioskConfig({ edge_url: 'http://10.0.0.5:8080/', device_key: ` ${KEY} ` })).toEqual({
      edgeUrl: 'http://10.0.0.5:8080',
      deviceKey: KEY,
      idleSeconds: 60,
    });
    expect(
      parseKioskConfig({ edge_url: 'https://edge.local', device_key: KEY, idle_seconds: 90 }).idleSeconds,
    ).toBe(90);
  });

  it.each([
    [[], '(file)'],
    [{ device_key: KEY }, 'edge_url'],
    [{ edge_url: 'not a url', device_key: KEY }, 'edge_url'],
    [{ edge_url: 'ftp://edge', device_key: KEY }, 'edge_url'],
    [{ edge_url: 'http://edge' }, 'device_key'],
    [{ edge_url: 'http://edge', device_key: 'short' }, 'device_key'],
    [{ edge_url: 'http://edge', device_key: KEY, idle_seconds: 2 }, 'idle_seconds'],
    [{ edge_url: 'http://edge', device_key: KEY, idle_seconds: '60' }, 'idle_seconds'],
  ])('refuses %j naming %s', (raw, field) => {
    try {
      parseKioskConfig(raw);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(KioskConfigError);
      expect((error as KioskConfigError).field).toBe(field);
      expect((error as Error).message).toContain(field);
    }
  });

  it('reads a file and explains a missing or malformed one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-config-'));
    try {
      const good = join(dir, 'kiosk.json');
      writeFileSync(good, JSON.stringify({ edge_url: 'http://edge:8080', device_key: KEY }));
      expect((await loadKioskConfig(good)).edgeUrl).toBe('http://edge:8080');
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{ edge_url: ');
      await expect(loadKioskConfig(bad)).rejects.toThrow(/not valid JSON/);
      await expect(loadKioskConfig(join(dir, 'missing.json'))).rejects.toThrow(/cannot be read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

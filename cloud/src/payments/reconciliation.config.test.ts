import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';

describe('STRIPE_RECONCILE_CRON', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clubos-reconcile-'));
  const load = (value?: string) =>
    loadConfig({
      env: { CLOUD_DATA_DIR: dir, ...(value === undefined ? {} : { STRIPE_RECONCILE_CRON: value }) },
    });

  it('defaults to 03:30 UTC, and takes another expression or off', () => {
    expect(load().payments.reconcileCron).toBe('30 3 * * *');
    expect(load('0 4 * * *').payments.reconcileCron).toBe('0 4 * * *');
    expect(load('off').payments.reconcileCron).toBe('off');
  });

  it('refuses what is not a cron expression, naming the variable', () => {
    expect(() => load('at half past three')).toThrow(/STRIPE_RECONCILE_CRON/);
  });
});

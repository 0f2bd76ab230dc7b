import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const args = (...rest: string[]) => ['--import', 'tsx', 'simulators/src/cli.ts', 'stripe', ...rest];

describe('clubos-sim stripe', { timeout: 60_000 }, () => {
  it('prints its URL, key, SDK options and webhook endpoint, and serves the SDK on them', async () => {
    const child = spawn(
      process.execPath,
      args(
        '--port',
        '0',
        '--webhook-url',
        'http://127.0.0.1:9/hook',
        '--webhook-secret',
        'whsec_demo_secret',
      ),
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const info = JSON.parse(line) as {
        url: string;
        api_key: string;
        sdk: Stripe.StripeConfig;
        webhook: { secret: string };
      };
      expect(info).toMatchObject({
        api_key: 'sk_test_clubos_simulator',
        sdk: { host: '127.0.0.1', protocol: 'http' },
      });
      expect(info.webhook.secret).toBe('whsec_demo_secret');
      const stripe = new Stripe(info.api_key, { ...info.sdk, maxNetworkRetries: 0 });
      const endpoints = await stripe.webhookEndpoints.list();
      expect(endpoints.data.map((e) => e.url)).toEqual(['http://127.0.0.1:9/hook']);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('refuses a webhook secret without a webhook url, and an unknown flag, naming them', () => {
    const lonely = spawnSync(process.execPath, args('--webhook-secret', 'whsec_x'), {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(lonely.status).toBe(1);
    expect(lonely.stderr).toContain('--webhook-secret and --webhook-events need --webhook-url');
    const typo = spawnSync(process.execPath, args('--api-kee', 'sk_test_x'), { cwd: ROOT, encoding: 'utf8' });
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain('--api-kee');
  });
});

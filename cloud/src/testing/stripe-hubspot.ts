import { startStripeSimulator } from '@clubos/simulators/stripe/index';
import { type HubspotHarness, startHubspotHarness } from './hubspot.js';
import { createOpsWorld } from './ops-world.js';
import { type StripeHarness, WEBHOOK_SECRET } from './stripe.js';

/**
 * The cloud with both its Stripe SDK (simulator, signed webhooks over HTTP on a free port) and its
 * HubSpot sync (simulator; passes driven by `hubspot.worker.runOnce()`): what was paid reaching the
 * CRM. Deals open from `dealMinValueCents` (1 000 here).
 */
export async function startStripeHubspotHarness(
  kind: StripeHarness['t']['kind'],
): Promise<StripeHarness & { hubspot: HubspotHarness }> {
  const sim = await startStripeSimulator({
    port: 0,
    webhooks: { retryDelaysMs: [50, 200, 1_000], timeoutMs: 5_000 },
  });
  const hubspot = await startHubspotHarness(
    kind,
    { dealMinValueCents: 1_000 },
    {
      payments: {
        stripeSecretKey: sim.apiKey,
        webhookSecret: WEBHOOK_SECRET,
        api: sim.sdkConfig,
        maxNetworkRetries: 1,
        timeoutMs: 5_000,
      },
    },
  );
  const t = hubspot.t;
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const webhookUrl = `${address}/api/v1/payments/stripe/webhook`;
  sim.control.addWebhookEndpoint({ url: webhookUrl, events: ['*'], secret: WEBHOOK_SECRET });
  const w = await createOpsWorld(t);
  return {
    t,
    w,
    sim,
    webhookUrl,
    hubspot,
    settle: async () => {
      await sim.control.flushWebhooks(20_000);
      await t.app.services.stripeWebhooks.idle();
    },
    close: async () => {
      await hubspot.close();
      await sim.close();
    },
  };
}

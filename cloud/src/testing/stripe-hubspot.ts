import { type HubspotHarness, startHubspotHarness } from './hubspot.js';
import { connectStripe, openStripeSimulator, type StripeHarness, stripePaymentsConfig } from './stripe.js';

/**
 * The cloud with both its Stripe SDK (simulator, signed webhooks over HTTP on a free port) and its
 * HubSpot sync (simulator; passes driven by `hubspot.worker.runOnce()`): what was paid reaching the
 * CRM. Deals open from `dealMinValueCents` (1 000 here).
 */
export async function startStripeHubspotHarness(
  kind: StripeHarness['t']['kind'],
): Promise<StripeHarness & { hubspot: HubspotHarness }> {
  const sim = await openStripeSimulator();
  const hubspot = await startHubspotHarness(
    kind,
    { dealMinValueCents: 1_000 },
    { payments: stripePaymentsConfig(sim) },
  );
  return { ...(await connectStripe(hubspot.t, sim, () => hubspot.close())), hubspot };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('facility payment policy on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  beforeAll(async () => ({ t, w } = await openOpsWorld(kind)), SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const url = (facilityId: string) => `/api/v1/admin/facilities/${facilityId}/payment-policy`;
  const put = (facilityId: string, payload: unknown, token = w.tokens.staffA) =>
    t.request({ method: 'PUT', url: url(facilityId), token, payload: payload as object });

  it('starts as pay at the venue, with online payment off while no Stripe key is set', async () => {
    const res = await t.request({ method: 'GET', url: url(w.facilityB), token: w.tokens.admin });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      facility_id: w.facilityB,
      mode: 'at_venue',
      deposit_bps: null,
      deposit_cents: null,
      no_show_fee_cents: 0,
      card_on_file_required: false,
      currency: 'usd',
      walk_in_card: false,
      walk_in_to_collect_cap_cents: 10_000,
      online_payments_enabled: false,
      updated_at: null,
    });
  });

  it('lets staff set a deposit and a no-show fee for their facility, and reads it back', async () => {
    const res = await put(w.facilityA, {
      mode: 'deposit',
      deposit_bps: 2500,
      no_show_fee_cents: 1500,
      card_on_file_required: true,
      currency: 'cad',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      mode: 'deposit',
      deposit_bps: 2500,
      deposit_cents: null,
      currency: 'cad',
    });
    const read = await t.request({ method: 'GET', url: url(w.facilityA), token: w.tokens.staffA });
    expect(read.json()).toMatchObject({
      mode: 'deposit',
      deposit_bps: 2500,
      no_show_fee_cents: 1500,
      card_on_file_required: true,
      currency: 'cad',
    });
    expect(read.json().updated_at).toEqual(res.json().updated_at);
    expect(await t.app.services.paymentPolicies.policyOf(w.facilityA)).toEqual({
      mode: 'deposit',
      deposit: { kind: 'percent', bps: 2500 },
      noShowFeeCents: 1500,
      cardOnFileRequired: true,
      currency: 'cad',
      walkInCard: false,
      walkInToCollectCapCents: 10_000,
    });

    // PUT replaces the whole policy: a fixed deposit drops the share, omitted fields are defaults.
    const fixed = await put(w.facilityA, { mode: 'deposit', deposit_cents: 2000 });
    expect(fixed.json()).toMatchObject({
      deposit_bps: null,
      deposit_cents: 2000,
      no_show_fee_cents: 0,
      currency: 'usd',
    });
  });

  it.each([
    [{ mode: 'deposit' }, 'deposit_bps'],
    [{ mode: 'deposit', deposit_bps: 2500, deposit_cents: 100 }, 'deposit_cents'],
    [{ mode: 'full', deposit_cents: 100 }, 'deposit_cents'],
    [{ mode: 'deposit', deposit_bps: 0 }, 'deposit_bps'],
    [{ mode: 'deposit', deposit_bps: 10_001 }, 'deposit_bps'],
    [{ mode: 'full', no_show_fee_cents: 1500 }, 'card_on_file_required'],
    [{ mode: 'full', no_show_fee_cents: 12.5 }, 'no_show_fee_cents'],
    [{ mode: 'full', currency: 'USD' }, 'currency'],
    [{ mode: 'sometimes' }, 'mode'],
    [{ mode: 'full', colour: 'red' }, 'colour'],
  ])('refuses %j with a 400 naming %s', async (payload, field) => {
    const res = await put(w.facilityA, payload);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.field).toBe(field);
  });

  it('keeps other facilities and other roles out', async () => {
    expect((await put(w.facilityB, { mode: 'full' })).statusCode).toBe(403);
    expect((await put(w.facilityA, { mode: 'full' }, w.tokens.customer)).statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: url(w.facilityA) })).statusCode).toBe(401);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await put(unknown, { mode: 'full' }, w.tokens.admin)).statusCode).toBe(404);
    expect(
      (await t.request({ method: 'GET', url: url('nope'), token: w.tokens.admin })).json().error.field,
    ).toBe('id');
  });

  it('answers the Stripe webhook 503 and stores nothing while STRIPE_WEBHOOK_SECRET is unset', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/payments/stripe/webhook',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      payload: '{"id":"evt_1"}',
    });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.json().error.code).toBe('NOT_READY');
    await expect(
      t.app.services.payments.startCheckout(w.facilityA, { successUrl: 'x', cancelUrl: 'y' }),
    ).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
    });
  });
});

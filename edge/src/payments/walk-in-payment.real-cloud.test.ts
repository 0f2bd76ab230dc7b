import type {} from '@clubos/cloud/services';
import { testDatabases } from '@clubos/cloud/testing';
import { type StripeHarness, startStripeHarness } from '@clubos/cloud/testing/stripe';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxDepth } from '../sync/outbox.repository.js';
import { readSyncState } from '../sync/replica.repository.js';
import { FlakyProxy } from '../testing/flaky-proxy.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { buildTestEdge, OUTAGE_SYNC_ENV, registerKiosk } from '../testing/test-edge.js';

/**
 * The whole edge against the real cloud with its Stripe SDK on the simulator: a walk-in paid on the
 * facility's reader, one refused for a declined card, and, with the link cut, walk-ins sold "to
 * collect" (up to the cap) and settled at the desk in cash and by card once the link is back.
 */
const HOUR = 3_600_000;
const CAP_CENTS = 6_000;

describe.each(testDatabases())(
  'walk-ins paid at the venue (real cloud and Stripe simulator on %s)',
  (kind) => {
    let h: StripeHarness;
    let proxy: FlakyProxy;
    let tmp: ReturnType<typeof tempDir>;
    let app: FastifyInstance;
    let kiosk: string;
    let staff: string;
    let readerId: string;
    let nextHour = 3;

    let adminPut: (url: string, payload: object) => ReturnType<typeof h.t.request>;

    beforeAll(async () => {
      h = await startStripeHarness(kind);
      adminPut = (url, payload) => h.t.request({ method: 'PUT', url, token: h.w.tokens.admin, payload });
      const facility = h.w.facilityA;
      const admin = (method: 'PUT', url: string, payload: object) =>
        h.t.request({ method, url, token: h.w.tokens.admin, payload });
      // The edge has no walk-in setting of its own: the facility's policy reaches it in the feed.
      const policy = await admin('PUT', `/api/v1/admin/facilities/${facility}/payment-policy`, {
        mode: 'full',
        walk_in_card: true,
        walk_in_to_collect_cap_cents: CAP_CENTS,
      });
      expect(policy.statusCode, policy.body).toBe(200);
      const stripe = h.t.app.services.stripe!;
      const location = await stripe.terminal.locations.create({
        display_name: 'Desk',
        address: { country: 'US' },
      });
      readerId = (
        await stripe.terminal.readers.create({ registration_code: 'simulated-wpe', location: location.id })
      ).id;
      expect(
        (await admin('PUT', `/api/v1/admin/facilities/${facility}/terminal-reader`, { reader_id: readerId }))
          .statusCode,
      ).toBe(200);
      proxy = new FlakyProxy({ host: '127.0.0.1', port: Number(new URL(h.webhookUrl).port) });
      const proxyUrl = await proxy.listen();
      tmp = tempDir();
      app = await buildTestEdge(tmp.dir, {
        ...OUTAGE_SYNC_ENV,
        CLOUD_URL: proxyUrl,
        EDGE_KEY: h.w.edgeKeyA,
        FACILITY_ID: facility,
        SYNC_REQUEST_TIMEOUT_MS: '2000',
      });
      kiosk = await registerKiosk(app);
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'manager', password: 'correct horse' },
      });
      staff = `Bearer ${login.json().token}`;
      expect(await eventually(() => readSyncState(app.edge.database.db)?.cursor !== undefined, 30_000)).toBe(
        true,
      );
    }, 240_000);
    afterAll(async () => {
      await app?.close();
      await proxy?.close();
      h.t.app.server.closeAllConnections();
      await h?.close();
      tmp?.cleanup();
    });

    const slot = (minutes = 60) => {
      const start = Math.ceil(Date.now() / HOUR) * HOUR + nextHour++ * HOUR;
      return { simulator_id: h.w.bayA1, start_time: new Date(start).toISOString(), duration: minutes };
    };
    const edge = (method: 'GET' | 'POST', url: string, who: string, payload?: object) =>
      app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { authorization: who },
        ...(payload ? { payload } : {}),
      });
    const tap = (number?: string) =>
      h.t.app.services.stripe!.testHelpers.terminal.readers.presentPaymentMethod(
        readerId,
        number ? { card_present: { number } } : {},
      );
    const cloudRows = async <T>(query: ReturnType<typeof sql>) =>
      ((await h.t.app.db.execute(query)) as unknown as { rows: T[] }).rows;

    it('charges a walk-in on the reader, then sells and captures it; the cloud ledger has it', async () => {
      const body = slot();
      const offer = (await edge('POST', '/walk-ins/payments', kiosk, body)).json();
      expect(offer).toMatchObject({ method: 'reader', payment: { status: 'waiting' } });
      expect(offer.message).toBe('Tap or insert your card on the reader');
      const paymentId = offer.payment.payment_id;
      expect((await edge('GET', `/walk-ins/payments/${paymentId}`, kiosk)).json().status).toBe('waiting');
      await tap();
      expect((await edge('GET', `/walk-ins/payments/${paymentId}`, kiosk)).json().status).toBe('authorized');
      const sold = await edge('POST', '/walk-ins', kiosk, { ...body, payment_id: paymentId });
      expect(sold.statusCode, sold.body).toBe(201);
      expect(sold.json()).toMatchObject({ mode: 'online', payment: 'paid', total_cents: offer.amount_cents });
      expect(sold.json().booking.id).toBe(offer.payment.booking_id);
      await h.settle();
      const [paid] = await cloudRows<{ status: string; amount_cents: number; kind: string }>(
        sql`SELECT status, amount_cents, kind FROM payments WHERE booking_id = ${offer.payment.booking_id}`,
      );
      expect(paid).toEqual({ status: 'succeeded', amount_cents: offer.amount_cents, kind: 'terminal' });
      // The ledger's success marks the walk-in paid, as for a booking paid online.
      const [booked] = await cloudRows<{ status: string; payment_status: string }>(
        sql`SELECT status, payment_status FROM bookings WHERE id = ${offer.payment.booking_id}`,
      );
      expect(booked).toEqual({ status: 'confirmed', payment_status: 'paid' });
    });

    it('does not sell a walk-in whose card was declined, and refuses an unpaid sale while online', async () => {
      const body = slot();
      const offer = (await edge('POST', '/walk-ins/payments', kiosk, body)).json();
      await tap('4000000000000002');
      const declined = (await edge('GET', `/walk-ins/payments/${offer.payment.payment_id}`, kiosk)).json();
      expect(declined.status).toBe('declined');
      expect(declined.message).toMatch(/declined/);
      const refused = await edge('POST', '/walk-ins', kiosk, {
        ...body,
        payment_id: offer.payment.payment_id,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toMatch(/declined/);
      const unpaid = await edge('POST', '/walk-ins', kiosk, body);
      expect(unpaid.statusCode).toBe(422);
      expect(unpaid.json().error.field).toBe('payment_id');
      const rows = app.edge.database.sqlite.prepare('SELECT count(*) AS n FROM bookings WHERE id = ?');
      expect(rows.get(offer.payment.booking_id)).toEqual({ n: 0 });
    });

    it('sells offline "to collect" up to the cap, and staff settle in cash and by card after reconnect', async () => {
      proxy.setMode('down');
      const sellOffline = async () => {
        const body = slot();
        const offer = (await edge('POST', '/walk-ins/payments', kiosk, body)).json();
        expect(offer).toMatchObject({ method: 'to_collect', payment: null });
        expect(offer.message).toMatch(/offline.*at the desk/);
        const sold = await edge('POST', '/walk-ins', kiosk, body);
        expect(sold.statusCode, sold.body).toBe(201);
        expect(sold.json().payment).toBe('to_collect');
        return { id: sold.json().booking.id as string, amount: offer.amount_cents as number };
      };
      const forCash = await sellOffline();
      const forCard = await sellOffline();
      expect(forCash.amount).toBeLessThanOrEqual(CAP_CENTS);
      const tooLong = await edge('POST', '/walk-ins/payments', kiosk, slot(120));
      expect(tooLong.statusCode).toBe(422);
      expect(tooLong.json().error.message).toMatch(/offline.*over \$60\.00/);
      const overCap = await edge('POST', '/walk-ins', kiosk, slot(120));
      expect(overCap.statusCode).toBe(422);

      const owed = (await edge('GET', '/walk-ins/dues', staff)).json().dues;
      expect(owed.map((d: { booking_id: string }) => d.booking_id)).toEqual([forCash.id, forCard.id]);
      expect(owed[0]).toMatchObject({
        amount_cents: forCash.amount,
        sold_by: expect.stringMatching(/^kiosk:/),
      });
      const whileOffline = await edge('POST', `/walk-ins/dues/${forCash.id}/settle`, staff, {
        method: 'cash',
      });
      expect(whileOffline.statusCode).toBe(503);

      proxy.setMode('up');
      expect(await eventually(() => outboxDepth(app.edge.database.db).pending === 0, 30_000)).toBe(true);
      const cloudDues = await cloudRows<{ booking_id: string; status: string; amount_cents: number }>(
        sql`SELECT booking_id, status, amount_cents FROM walk_in_dues WHERE booking_id IN (${forCash.id}, ${forCard.id}) ORDER BY created_at`,
      );
      expect(cloudDues).toEqual([
        { booking_id: forCash.id, status: 'owed', amount_cents: forCash.amount },
        { booking_id: forCard.id, status: 'owed', amount_cents: forCard.amount },
      ]);

      const cash = await edge('POST', `/walk-ins/dues/${forCash.id}/settle`, staff, { method: 'cash' });
      expect(cash.statusCode, cash.body).toBe(200);
      expect(cash.json()).toMatchObject({ method: 'cash', settled_by: 'staff:manager' });

      const card = (await edge('POST', `/walk-ins/dues/${forCard.id}/card`, staff)).json();
      expect(card).toMatchObject({ status: 'waiting', amount_cents: forCard.amount });
      await tap();
      expect((await edge('GET', `/walk-ins/payments/${card.payment_id}`, staff)).json().status).toBe(
        'succeeded',
      );
      const byCard = await edge('POST', `/walk-ins/dues/${forCard.id}/settle`, staff, {
        method: 'card',
        payment_id: card.payment_id,
      });
      expect(byCard.statusCode, byCard.body).toBe(200);

      expect((await edge('GET', '/walk-ins/dues', staff)).json().dues).toEqual([]);
      await h.settle();
      const ledger = await cloudRows<{
        booking_id: string;
        kind: string;
        status: string;
        amount_cents: number;
      }>(
        sql`SELECT booking_id, kind, status, amount_cents FROM payments WHERE booking_id IN (${forCash.id}, ${forCard.id}) ORDER BY kind`,
      );
      expect(ledger).toEqual([
        { booking_id: forCash.id, kind: 'cash', status: 'succeeded', amount_cents: forCash.amount },
        { booking_id: forCard.id, kind: 'terminal', status: 'succeeded', amount_cents: forCard.amount },
      ]);
      const settled = await cloudRows<{ status: string; settled_by: string }>(
        sql`SELECT status, settled_by FROM walk_in_dues WHERE booking_id IN (${forCash.id}, ${forCard.id})`,
      );
      expect(settled).toEqual([
        { status: 'settled', settled_by: 'staff:manager' },
        { status: 'settled', settled_by: 'staff:manager' },
      ]);
    });

    it('follows an admin turning walk-in card payment off: the next walk-in pays nothing here', async () => {
      const off = await adminPut(`/api/v1/admin/facilities/${h.w.facilityA}/payment-policy`, {
        mode: 'full',
        walk_in_card: false,
      });
      expect(off.json()).toMatchObject({ walk_in_card: false, walk_in_to_collect_cap_cents: 10_000 });
      const body = slot();
      let method = 'reader';
      for (const until = Date.now() + 20_000; method !== 'none' && Date.now() < until; ) {
        const offer = (await edge('POST', '/walk-ins/payments', kiosk, body)).json();
        method = offer.method;
        if (offer.payment) await edge('POST', `/walk-ins/payments/${offer.payment.payment_id}/cancel`, kiosk);
        if (method !== 'none') await new Promise((r) => setTimeout(r, 100));
      }
      expect(method).toBe('none');
      const sold = await edge('POST', '/walk-ins', kiosk, body);
      expect(sold.statusCode, sold.body).toBe(201);
      expect(sold.json().payment).toBeUndefined();
    });
  },
);

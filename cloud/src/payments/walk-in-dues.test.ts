import { randomUUID } from 'node:crypto';
import { generateBookingCode } from '@clubos/shared/credentials';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings } from '../db/schema/bookings.schema.js';
import { asEdge } from '../testing/edge-node.js';
import { hoursFromNow, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';

const PRICE = 3500;

describe.each(testDatabases())('walk-ins "to collect" settled at the desk on %s', (kind) => {
  let h: StripeHarness;
  let readerId: string;
  let hour = 30;
  const edge = (method: 'GET' | 'POST', url: string, payload?: object) =>
    asEdge(h.t, h.w.edgeKeyA, method, `/api/v1${url}`, payload);
  const event = (type: string, payload: object) => ({
    v: 1,
    event_id: randomUUID(),
    type,
    occurred_at: new Date().toISOString(),
    facility_id: h.w.facilityA,
    payload,
  });
  const upload = async (...events: object[]) => {
    const res = await edge('POST', '/edge/events', { v: 1, facility_id: h.w.facilityA, events });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(events.map(() => 'accepted'));
  };
  /** A walk-in sold offline, as the edge reports it: the booking, then what it owes. */
  const walkIn = (bookingId: string) => {
    const start = hoursFromNow(hour++);
    return event('walk_in.created', {
      booking_id: bookingId,
      reference_code: generateBookingCode(),
      simulator_id: h.w.bayA1,
      start_time: start,
      end_time: new Date(Date.parse(start) + 3_600_000).toISOString(),
      duration: 60,
      price_cents: PRICE,
      provisional: false,
      excluded_simulator_ids: [],
    });
  };
  const toCollect = (bookingId: string) =>
    event('walk_in.to_collect', { booking_id: bookingId, amount_cents: PRICE });
  const settle = async (bookingId: string, body: object) => {
    const res = await edge('POST', `/edge/walk-in-dues/${bookingId}/settle`, {
      amount_cents: PRICE,
      settled_by: 'user:desk',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const paymentStatusOf = async (id: string) =>
    (await h.t.app.db.select().from(bookings).where(eq(bookings.id, id)))[0]?.paymentStatus;
  /** The customer's receipt messages written to the notifications outbox for the booking. */
  const receiptMessages = async (id: string) =>
    (
      (await h.t.app.db.execute(
        sql`SELECT kind, receipt_for FROM notification_messages WHERE booking_id = ${id}::uuid AND kind LIKE '%receipt'`,
      )) as unknown as { rows: { kind: string; receipt_for: string }[] }
    ).rows;
  const receiptsOf = async (id: string) => {
    const res = await h.t.request({
      method: 'GET',
      url: `/api/v1/bookings/${id}/receipts`,
      token: h.w.tokens.staffA,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().receipts as { kind: string; amount_cents: number; description: string }[];
  };

  beforeAll(async () => {
    h = await startStripeHarness(kind);
    const stripe = h.t.app.services.stripe!;
    const location = await stripe.terminal.locations.create({
      display_name: 'Front desk',
      address: { country: 'HU', city: 'Budapest', line1: 'Fő utca 1' },
    });
    readerId = (
      await stripe.terminal.readers.create({ registration_code: 'simulated-wpe', location: location.id })
    ).id;
    const put = await h.t.request({
      method: 'PUT',
      url: `/api/v1/admin/facilities/${h.w.facilityA}/terminal-reader`,
      token: h.w.tokens.staffA,
      payload: { reader_id: readerId },
    });
    expect(put.statusCode, put.body).toBe(200);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it('leaves a walk-in settled in cash paid, with its cash payment and a receipt', async () => {
    const id = randomUUID();
    await upload(walkIn(id), toCollect(id));
    expect(await paymentStatusOf(id)).toBe('unpaid');
    await settle(id, { method: 'cash' });
    expect(await paymentStatusOf(id)).toBe('paid');
    expect(await receiptsOf(id)).toEqual([
      expect.objectContaining({
        kind: 'payment',
        amount_cents: PRICE,
        description: 'Paid in cash at the venue',
      }),
    ]);
    const [receipt] = await receiptsOf(id);
    expect(await receiptMessages(id)).toEqual([
      { kind: 'payment_receipt', receipt_for: (receipt as unknown as { id: string }).id },
    ]);
  });

  it('leaves a walk-in settled on the reader paid, with a receipt', async () => {
    const id = randomUUID();
    await upload(walkIn(id), toCollect(id));
    const started = await edge('POST', '/edge/terminal-payments', {
      booking_id: id,
      amount_cents: PRICE,
      purpose: 'settle',
    });
    expect(started.statusCode, started.body).toBe(201);
    await h.t.app.services.stripe!.testHelpers.terminal.readers.presentPaymentMethod(readerId, {});
    await settle(id, { method: 'card', payment_id: started.json().payment_id });
    expect(await paymentStatusOf(id)).toBe('paid');
    await h.settle();
    expect(await paymentStatusOf(id)).toBe('paid');
    expect(await receiptsOf(id)).toEqual([
      expect.objectContaining({
        kind: 'payment',
        amount_cents: PRICE,
        description: 'Paid by card at the venue',
      }),
    ]);
    // Written once, whichever of the settlement and the reader's webhook came first.
    expect((await receiptMessages(id)).map((r) => r.kind)).toEqual(['payment_receipt']);
  });

  it('marks the booking paid when the settlement reached the cloud before the walk-in did', async () => {
    const id = randomUUID();
    await upload(toCollect(id));
    await settle(id, { method: 'cash' });
    expect(await receiptMessages(id)).toEqual([]);
    await upload(walkIn(id));
    expect(await paymentStatusOf(id)).toBe('paid');
    // The receipt waits for the walk-in's booking, then is written with it.
    expect((await receiptMessages(id)).map((r) => r.kind)).toEqual(['payment_receipt']);
  });
});

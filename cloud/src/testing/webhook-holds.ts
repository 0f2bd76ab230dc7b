import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { PaymentRow } from '../payments/payments.repository.js';
import { laneOf } from '../payments/stripe-webhook.batch.js';
import type { WebhookBatchWorld } from './stripe-webhook-batch.js';

/** A booking id whose events fall in `lane` (`laneOf`), so a test's events meet in one batch. */
export function bookingIdInLane(lane: string): string {
  for (;;) {
    const id = randomUUID();
    const probe = { id: 'evt_probe', data: { object: { metadata: { clubos_booking_id: id } } } };
    if (laneOf(probe as unknown as Stripe.Event) === lane) return id;
  }
}

export interface HoldOptions {
  id?: string;
  customerId?: string | null;
  priceCents?: number;
  /** What the checkout asks online (a deposit is less than the price). */
  amountCents?: number;
}

/** Checkout holds as the booking path leaves them (pending, a pending online payment), made directly. */
export interface WebhookHolds {
  customer(): Promise<string>;
  hold(options?: HoldOptions): Promise<PaymentRow>;
}

/**
 * One bay of the world's facility (or of a new one, `otherFacility`), its hours handed out one hold
 * at a time (no two overlap).
 */
export async function webhookHolds(w: WebhookBatchWorld, otherFacility = false): Promise<WebhookHolds> {
  const db = w.t.app.db;
  const { rows } = (await db.execute(
    sql`select id from facilities order by created_at limit 1`,
  )) as unknown as {
    rows: { id: string }[];
  };
  const facilityId = otherFacility
    ? (await w.t.app.services.facilityRepository.insertFacility({ name: 'Second venue' })).id
    : rows[0]!.id;
  const bay = await w.t.app.services.facilityRepository.insertBay({
    facilityId,
    name: `Bay ${randomUUID().slice(0, 4)}`,
    bayNumber: 1,
    type: 'trackman',
    hourlyRateCents: 4_500,
    unifiDoorId: 'door-bay-1',
  });
  let slot = 0;
  const base = Date.UTC(2031, 0, 1);
  return {
    async customer() {
      const id = randomUUID();
      await db.execute(sql`insert into customers (id, email) values (${id}, ${`c-${id}@example.test`})`);
      return id;
    },
    async hold(options = {}) {
      const id = options.id ?? randomUUID();
      const start = new Date(base + slot++ * 3_600_000);
      const end = new Date(start.getTime() + 3_600_000);
      const priceCents = options.priceCents ?? 4_500;
      await db.execute(sql`insert into bookings (id, facility_id, simulator_id, customer_id, start_time,
          end_time, blocked_until, duration, status, price_cents, reference_code, hold_expires_at, source)
        values (${id}, ${facilityId}, ${bay.id}, ${options.customerId ?? null}, ${start.toISOString()},
          ${end.toISOString()}, ${end.toISOString()}, 60, 'pending', ${priceCents},
          ${`W${randomUUID().slice(0, 12)}`}, ${new Date(Date.now() + 15 * 60_000).toISOString()}, 'web')`);
      return w.payments.insertPayment(db, {
        bookingId: id,
        facilityId,
        kind: 'online',
        provider: 'stripe',
        attempt: 1,
        amountCents: options.amountCents ?? priceCents,
        currency: 'usd',
      });
    },
  };
}

/** Everything a webhook leaves of a booking, its ids left out, so two bookings' outcomes compare. */
export async function webhookOutcome(w: WebhookBatchWorld, bookingId: string) {
  const db = w.t.app.db;
  const rows = async (query: ReturnType<typeof sql>) =>
    ((await db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
  const [booking] = await rows(sql`select b.status, b.payment_status, b.refund_cents,
      b.access_code is not null as has_pin, c.total_bookings, c.total_spent_cents
    from bookings b left join customers c on c.id = b.customer_id where b.id = ${bookingId}`);
  return {
    booking,
    payments: await rows(sql`select status, amount_cents, succeeded_at is not null as succeeded,
      provider_payment_id is not null as has_intent from payments where booking_id = ${bookingId}`),
    refunds: await rows(sql`select seq, status, amount_cents, actor, reason from refunds
      where booking_id = ${bookingId} order by seq`),
    tokens: await rows(sql`select type, count(*)::int as n from access_tokens
      where booking_id = ${bookingId} group by type order by type`),
    feed: await rows(sql`select op, data->>'status' as status, data->>'access_code' is not null as has_pin
      from change_log where entity_id = ${bookingId} order by seq`),
    hubspot: await rows(sql`select kind, count(*)::int as n from hubspot_outbox
      where aggregate_id = ${bookingId} group by kind order by kind`),
    notifications: await rows(sql`select kind, version from notification_messages
      where booking_id = ${bookingId} order by kind, version`),
    events: await rows(sql`select type, applied_at is not null as applied, held_reason from stripe_events
      where booking_id = ${bookingId} order by type, applied_at is not null`),
  };
}

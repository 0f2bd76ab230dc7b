import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { asEdge } from './edge-node.js';
import type { StripeHarness } from './stripe.js';

/** What facility A's edge reports through its outbox for a walk-in it sold offline (`walk_in.to_collect`). */
export async function reportToCollect(
  h: StripeHarness,
  bookingId: string,
  amountCents: number,
): Promise<void> {
  const res = await asEdge(h.t, h.w.edgeKeyA, 'POST', '/api/v1/edge/events', {
    v: 1,
    facility_id: h.w.facilityA,
    events: [
      {
        v: 1,
        event_id: randomUUID(),
        type: 'walk_in.to_collect',
        occurred_at: new Date().toISOString(),
        facility_id: h.w.facilityA,
        payload: { booking_id: bookingId, amount_cents: amountCents },
      },
    ],
  });
  expect(res.json().results[0]?.status, res.body).toBe('accepted');
}

/** The desk settling a due in cash, as the edge's console asks the cloud. */
export async function settleInCash(h: StripeHarness, bookingId: string, amountCents: number): Promise<void> {
  const res = await asEdge(h.t, h.w.edgeKeyA, 'POST', `/api/v1/edge/walk-in-dues/${bookingId}/settle`, {
    amount_cents: amountCents,
    method: 'cash',
    settled_by: 'user:desk',
  });
  expect(res.statusCode, res.body).toBe(200);
}

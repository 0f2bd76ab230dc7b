import { randomUUID } from 'node:crypto';
import { generateBookingCode } from '@clubos/shared/credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCloud } from '../../testing/fake-cloud.js';
import { RealCloud } from '../../testing/real-cloud.js';
import { seedFacility } from '../../testing/seed-facility.js';
import { CloudFeedClient } from '../cloud-feed.client.js';
import type { UploadableEvent } from '../cloud-feed.js';

/**
 * The fake cloud the other sync tests use must answer uploads as the real one does, or it can hide
 * bugs (it used to answer `duplicate` to a re-sent REJECTED walk-in, which the edge takes as
 * accepted: a walk-in the cloud never booked would have shown as confirmed). The same sequence of
 * uploads goes to both; the answers must be the same, step by step.
 */

const HOUR = 3_600_000;
const halfHour = (fromNowMs: number) => Math.ceil((Date.now() + fromNowMs) / (HOUR / 2)) * (HOUR / 2);

interface Side {
  client: CloudFeedClient;
  bays: string[];
  sell(bay: string, start: number, minutes: number): Promise<string | null>;
  cancel(id: string): Promise<void>;
}

let real: RealCloud;
let fake: FakeCloud;
const sides: Record<'real' | 'fake', Side> = {} as never;

beforeAll(async () => {
  real = await RealCloud.start('pglite');
  const venue = await real.facility({ bays: 2 });
  const { key } = await real.registerEdge(venue.facilityId);
  sides.real = {
    client: new CloudFeedClient({
      baseUrl: real.url,
      edgeKey: key,
      requestTimeoutMs: 5_000,
      facilityId: () => venue.facilityId,
    }),
    bays: venue.bayIds,
    sell: (bay, start, minutes) => real.sell(bay, start, minutes),
    cancel: (id) => real.cancel(id),
  };
  fake = new FakeCloud();
  await fake.listen();
  const { bayIds } = seedFacility(fake, { bays: 2 });
  sides.fake = {
    client: new CloudFeedClient({
      baseUrl: fake.url,
      edgeKey: fake.issueKey(),
      requestTimeoutMs: 5_000,
      facilityId: () => fake.facilityId,
    }),
    bays: bayIds,
    sell: async (bay, start, minutes) => fake.sell(bay, start, minutes),
    cancel: async (id) => fake.cancel(id),
  };
}, 120_000);
afterAll(async () => {
  await fake?.close();
  await real?.close();
});

/** The answers (status, and the reason's first word) to one fixed sequence of uploads. */
async function script(side: Side): Promise<string[]> {
  const answers: string[] = [];
  const send = async (event: UploadableEvent) => {
    const [ack] = await side.client.upload([event], AbortSignal.timeout(10_000));
    answers.push(
      ack?.status === 'rejected' ? `rejected ${ack.reason.split(/[.: ]/)[0]}` : String(ack?.status),
    );
  };
  const at = halfHour(3 * HOUR);
  const walkIn = (bay: string, bookingId: string): UploadableEvent => ({
    event_id: randomUUID(),
    type: 'walk_in.created',
    occurred_at: Date.now(),
    payload: {
      booking_id: bookingId,
      reference_code: generateBookingCode(),
      simulator_id: bay,
      start_time: new Date(at).toISOString(),
      end_time: new Date(at + HOUR).toISOString(),
      duration: 60,
      price_cents: 4000,
      provisional: true,
      customer: {},
    },
  });

  // A provisional walk-in on a bay the web sold meanwhile: refused as a conflict…
  const web = await side.sell(side.bays[0]!, at, 60);
  const first = walkIn(side.bays[0]!, randomUUID());
  await send(first);
  // …and refused again when re-sent (an ack lost in a crash): judged again, never `duplicate`.
  await send(first);
  // Once the web booking is cancelled the same event is accepted, then a duplicate.
  await side.cancel(web!);
  await send(first);
  await send(first);
  // The same booking re-submitted on the other bay (a reconciled walk-in) moves it.
  await send({ ...walkIn(side.bays[1]!, String(first.payload.booking_id)) });
  // A check-in for a booking the cloud does not know changes nothing and is accepted.
  const checkIn: UploadableEvent = {
    event_id: randomUUID(),
    type: 'booking.checked_in',
    occurred_at: Date.now(),
    payload: { booking_id: randomUUID(), checked_in_at: new Date().toISOString(), method: 'qr_code' },
  };
  await send(checkIn);
  await send(checkIn);
  // An event that does not check out is rejected naming the field, every time it comes.
  const broken: UploadableEvent = { ...checkIn, event_id: randomUUID(), payload: { booking_id: 'nope' } };
  await send(broken);
  await send(broken);
  return answers;
}

describe('the fake cloud answers uploads as the real cloud does', () => {
  it('same answers, step by step', { timeout: 60_000 }, async () => {
    const expected = [
      'rejected conflict',
      'rejected conflict',
      'accepted',
      'duplicate',
      'accepted',
      'accepted',
      'duplicate',
      'rejected payload',
      'rejected payload',
    ];
    expect(await script(sides.real)).toEqual(expected);
    expect(await script(sides.fake)).toEqual(expected);
  });
});

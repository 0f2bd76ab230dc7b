import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pendingBatch } from '../sync/outbox.repository.js';
import { FakeCloud } from '../testing/fake-cloud.js';
import { ScriptedReader } from '../testing/scripted-reader.js';
import { seedFacility } from '../testing/seed-facility.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { buildTestEdge, registerKiosk } from '../testing/test-edge.js';

/**
 * The edge's walk-in payment rules against a fake cloud and a scripted reader: what happens between
 * the card and the sale (a refused sale releases the card, a lost capture becomes a due), and the
 * cap's boundary. The seed's bays cost 45.20 an hour with tax.
 */
const MIN = 60_000;
let cloud: FakeCloud;
let reader: ScriptedReader;
let tmp: ReturnType<typeof tempDir>;
let app: FastifyInstance;
let bays: string[];
let kiosk: string;

async function start(cap: number) {
  app = await buildTestEdge(
    tmp.dir,
    {
      CLOUD_URL: cloud.url,
      EDGE_KEY: cloud.issueKey(),
      WALK_IN_CARD_PAYMENT: 'true',
      WALK_IN_TO_COLLECT_CAP_CENTS: String(cap),
    },
    { cloudPayments: reader, facilityControl: { runTimers: false } },
  );
  expect(await eventually(() => app.edge.sync?.link.online === true, 30_000)).toBe(true);
  kiosk = await registerKiosk(app);
}

beforeEach(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  ({ bayIds: bays } = seedFacility(cloud, { bays: 2 }));
  reader = new ScriptedReader();
  tmp = tempDir('walk-in-payment-');
}, 60_000);
afterEach(async () => {
  await app?.close();
  await cloud?.close();
  tmp?.cleanup();
});

const body = (bay: string, minutes = 60) => ({
  simulator_id: bay,
  start_time: new Date(Math.ceil((Date.now() + MIN) / MIN) * MIN).toISOString(),
  duration: minutes,
});
const post = (url: string, payload: object) =>
  app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { authorization: kiosk }, payload });
const bookingCount = (id: string) =>
  (
    app.edge.database.sqlite.prepare('SELECT count(*) AS n FROM bookings WHERE id = ?').get(id) as {
      n: number;
    }
  ).n;

describe('walk-ins paid on the reader: between the card and the sale', () => {
  it('releases the card when the time was sold meanwhile, and sells nothing', async () => {
    await start(10_000);
    const walkIn = body(bays[0]!);
    const offer = (await post('/walk-ins/payments', walkIn)).json();
    reader.present('accepted');
    // Sold online while the customer tapped: the replica learns it before the sale is tried.
    const taken = cloud.sell(bays[0]!, Date.parse(walkIn.start_time), 60);
    expect(taken).not.toBeNull();
    expect(await eventually(() => bookingCount(taken!) === 1, 10_000)).toBe(true);
    const sold = await post('/walk-ins', { ...walkIn, payment_id: offer.payment.payment_id });
    expect(sold.statusCode).toBe(409);
    expect(reader.payments.get(offer.payment.payment_id)?.status).toBe('canceled');
    expect(bookingCount(offer.payment.booking_id)).toBe(0);
  });

  it('refuses a payment that is not authorised, or for another price, and releases the latter', async () => {
    await start(10_000);
    const walkIn = body(bays[0]!);
    const waiting = (await post('/walk-ins/payments', walkIn)).json();
    const early = await post('/walk-ins', { ...walkIn, payment_id: waiting.payment.payment_id });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/waiting/);
    reader.present('accepted');
    const longer = await post('/walk-ins', {
      ...body(bays[0]!, 120),
      payment_id: waiting.payment.payment_id,
    });
    expect(longer.statusCode).toBe(409);
    expect(longer.json().error.message).toMatch(/price changed/);
    expect(reader.payments.get(waiting.payment.payment_id)?.status).toBe('canceled');
  });

  it('records a walk-in whose capture got no answer as owed, with its outbox event', async () => {
    await start(10_000);
    const walkIn = body(bays[1]!);
    const offer = (await post('/walk-ins/payments', walkIn)).json();
    reader.present('accepted');
    reader.captureUnanswered = true;
    const sold = await post('/walk-ins', { ...walkIn, payment_id: offer.payment.payment_id });
    expect(sold.statusCode, sold.body).toBe(201);
    expect(sold.json()).toMatchObject({
      payment: 'to_collect',
      message: expect.stringMatching(/pay at the desk/),
    });
    const dues = app.edge.walkInDues.owed();
    expect(dues).toEqual([
      expect.objectContaining({ booking_id: offer.payment.booking_id, amount_cents: 4520 }),
    ]);
    // Queued with the due, then uploaded: the fake cloud stores what it accepts.
    expect(await eventually(() => cloud.eventsByType.get('walk_in.to_collect') === 1, 10_000)).toBe(true);
  });
});

describe('offline: the cap per sale', () => {
  async function offline(cap: number) {
    await start(cap);
    cloud.down = true;
    reader.offline = true;
    expect(await eventually(() => app.edge.sync?.link.online === false, 30_000)).toBe(true);
  }

  it('sells a walk-in priced exactly at the cap "to collect", its due in the outbox', async () => {
    await offline(4520);
    const atCap = await post('/walk-ins', body(bays[0]!));
    expect(atCap.statusCode, atCap.body).toBe(201);
    expect(atCap.json().payment).toBe('to_collect');
    const queued = pendingBatch(app.edge.database.db, 100).filter((e) => e.type === 'walk_in.to_collect');
    expect(queued.map((e) => e.payload)).toEqual([
      { booking_id: atCap.json().booking.id, amount_cents: 4520 },
    ]);
  }, 60_000);

  it('refuses one a cent above the cap, saying why', async () => {
    await offline(4519);
    const over = await post('/walk-ins', body(bays[1]!));
    expect(over.statusCode).toBe(422);
    expect(over.json().error.message).toMatch(/offline.*over \$45\.19/);
    expect(app.edge.walkInDues.owed()).toEqual([]);
  }, 60_000);
});

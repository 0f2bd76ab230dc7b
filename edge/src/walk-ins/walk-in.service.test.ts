import path from 'node:path';
import { DomainError } from '@clubos/shared/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bookingById } from '../bookings/booking.repository.js';
import { createForwarder } from '../sync/forwarder.js';
import { outboxDepth, rejectedEvents } from '../sync/outbox.repository.js';
import { readSyncState, writeSyncState } from '../sync/replica.repository.js';
import { FakeCloud } from '../testing/fake-cloud.js';
import { seedFacility } from '../testing/seed-facility.js';
import { type SyncHarness, syncHarness, tempDir } from '../testing/sync-harness.js';
import { createWalkInAckHandler } from './reconciliation.service.js';
import { WALK_IN_EVENT } from './walk-in.event.js';
import { WalkInService } from './walk-in.service.js';

const MIN = 60_000;
let cloud: FakeCloud;
let tmp: ReturnType<typeof tempDir>;
let h: SyncHarness;
let bays: string[];

async function setup(options: { bays?: number; bufferMinutes?: number } = {}) {
  ({ bayIds: bays } = seedFacility(cloud, { bays: options.bays ?? 3, minAdvanceHours: 2, ...options }));
  h = syncHarness({
    file: path.join(tmp.dir, 'edge.sqlite'),
    cloudUrl: cloud.url,
    edgeKey: cloud.issueKey(),
  });
  h.uploader.onAck(WALK_IN_EVENT, createWalkInAckHandler(h.database));
  await h.pull.pullOnce();
}

function service(online: boolean, now = Date.now) {
  return new WalkInService({
    database: h.database,
    forward: online ? createForwarder(h.feed, h.link, 2_000) : null,
    wakeUploader: () => {},
    wakePull: () => {},
    now,
  });
}

/** Start on the next half hour (the fixture's slot grid) at least `minutes` from now. */
function soon(minutes: number): number {
  const t = Date.now() + minutes * MIN;
  return Math.ceil(t / (30 * MIN)) * 30 * MIN;
}

const customer = { first_name: 'Walk', last_name: 'In' };

beforeEach(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  tmp = tempDir();
});
afterEach(async () => {
  await h.close();
  await cloud.close();
  tmp.cleanup();
});

describe('walk-in online', () => {
  it('is forwarded to the cloud, the single writer, and comes back through the feed', async () => {
    await setup();
    const result = await service(true).sell({
      simulator_id: bays[0]!,
      start: soon(5),
      duration_minutes: 60,
      customer,
      sold_by: 'kiosk-1',
    });
    expect(result.mode).toBe('online');
    expect(cloud.get('booking', result.booking.id)).toMatchObject({
      simulator_id: bays[0],
      status: 'confirmed',
    });
    expect(outboxDepth(h.database.db).pending).toBe(0);
    await h.pull.pullOnce();
    expect(bookingById(h.database.db, result.booking.id)).toMatchObject({
      origin: 'cloud',
      reconciliation: 'accepted',
    });
  });

  it('answers 409 with alternatives when the replica already shows the slot sold', async () => {
    await setup();
    const start = soon(30);
    cloud.sell(bays[0]!, start, 60);
    await h.pull.pullOnce();
    const error = await service(true)
      .sell({ simulator_id: bays[0]!, start, duration_minutes: 60, customer, sold_by: 'k' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('SLOT_UNAVAILABLE');
    const alternatives = (error as DomainError).extra.alternatives as { simulator_id: string }[];
    const otherBays = alternatives.filter((s) => s.simulator_id !== bays[0]);
    expect(otherBays.map((s) => s.simulator_id)).toEqual([bays[1], bays[2]]);
  });

  it('answers 409 when the cloud sold the slot since the last pull, and records nothing', async () => {
    await setup();
    const start = soon(30);
    cloud.sell(bays[0]!, start, 60); // not pulled yet
    const error = await service(true)
      .sell({ simulator_id: bays[0]!, start, duration_minutes: 60, customer, sold_by: 'k' })
      .catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('SLOT_UNAVAILABLE');
    expect(
      h.database.sqlite.prepare("SELECT count(*) AS n FROM bookings WHERE origin = 'edge'").get(),
    ).toEqual({ n: 0 });
    expect(outboxDepth(h.database.db).pending).toBe(0);
  });
});

describe('walk-in offline: the safe horizon (docs/decisions/006-who-sells-which-time.md)', () => {
  it('sells for good what ends before last_successful_pull + min_advance, provisional beyond', async () => {
    await setup();
    cloud.down = true;
    const lastPull = readSyncState(h.database.db)!.last_successful_pull!;
    const horizon = lastPull + 2 * 60 * MIN;
    const sell = service(true);
    // Ends exactly at the horizon: safe (the cloud cannot sell a start before it).
    const startA = horizon - 60 * MIN;
    const a = await sell.sell({
      simulator_id: bays[0]!,
      start: startA,
      duration_minutes: 60,
      customer,
      sold_by: 'k',
    });
    expect(a).toMatchObject({ mode: 'offline', horizon });
    expect(a.booking.provisional).toBe(false);
    // One minute beyond: provisional, and the answer says so.
    const b = await sell.sell({
      simulator_id: bays[1]!,
      start: startA + MIN,
      duration_minutes: 60,
      customer,
      sold_by: 'k',
    });
    expect(b.mode).toBe('provisional');
    expect(b.booking.provisional).toBe(true);
    expect(b.message).toMatch(/Provisional/);
    expect(outboxDepth(h.database.db).pending).toBe(2);
  });

  it('the horizon shrinks as the outage grows: an older last pull makes the same sale provisional', async () => {
    await setup();
    const start = soon(5);
    writeSyncState(h.database.db, { last_successful_pull: start + 70 * MIN - 2 * 60 * MIN });
    const ok = await service(false).sell({
      simulator_id: bays[0]!,
      start,
      duration_minutes: 60,
      customer,
      sold_by: 'k',
    });
    expect(ok.mode).toBe('offline');
    writeSyncState(h.database.db, { last_successful_pull: start + 50 * MIN - 2 * 60 * MIN });
    const late = await service(false).sell({
      simulator_id: bays[1]!,
      start,
      duration_minutes: 60,
      customer,
      sold_by: 'k',
    });
    expect(late.mode).toBe('provisional');
  });

  it('keeps the bay buffer clear in front of what the cloud may sell at the horizon', async () => {
    await setup({ bufferMinutes: 15 });
    const start = soon(5);
    // Without the buffer this would end 5 minutes inside the horizon.
    writeSyncState(h.database.db, { last_successful_pull: start + 65 * MIN - 2 * 60 * MIN });
    const result = await service(false).sell({
      simulator_id: bays[0]!,
      start,
      duration_minutes: 60,
      customer,
      sold_by: 'k',
    });
    expect(result.mode).toBe('provisional');
  });

  it('refuses a second offline sale of the same time on the same bay', async () => {
    await setup();
    const start = soon(5);
    await service(false).sell({
      simulator_id: bays[0]!,
      start,
      duration_minutes: 60,
      customer,
      sold_by: 'k',
    });
    const error = await service(false)
      .sell({ simulator_id: bays[0]!, start: start + 30 * MIN, duration_minutes: 60, customer, sold_by: 'k' })
      .catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('SLOT_UNAVAILABLE');
  });
});

describe("walk-in customer's contact details (the cloud's rule)", () => {
  it('refuses a bad phone or email naming the field, sells nothing; keeps a good phone as E.164', async () => {
    await setup();
    const start = soon(5);
    const sale = (contact: Record<string, string>) =>
      service(false).sell({
        simulator_id: bays[0]!,
        start,
        duration_minutes: 60,
        customer: { ...customer, ...contact },
        sold_by: 'k',
      });
    for (const [contact, field] of [
      [{ phone: '555-01' }, 'customer.phone'],
      [{ email: 'walk@in' }, 'customer.email'],
    ] as const) {
      const error = await sale(contact).catch((e: unknown) => e);
      expect((error as DomainError).field).toBe(field);
      expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    }
    expect(outboxDepth(h.database.db)).toEqual({ pending: 0, rejected: 0 });
    const sold = await sale({ phone: '(416) 555-0199', email: 'walk@example.com' });
    expect(bookingById(h.database.db, sold.booking.id)?.customer_phone).toBe('+14165550199');
  });
});

describe('provisional reconciliation on reconnect', () => {
  async function provisionalOn(bay: string, start: number) {
    writeSyncState(h.database.db, { last_successful_pull: Date.now() - 3 * 60 * MIN });
    const result = await service(false).sell({
      simulator_id: bay,
      start,
      duration_minutes: 60,
      customer,
      sold_by: 'k',
    });
    expect(result.mode).toBe('provisional');
    return result.booking.id;
  }

  it('accepted: no conflict, the booking becomes final', async () => {
    await setup();
    const id = await provisionalOn(bays[0]!, soon(60));
    await h.uploader.flushOnce();
    expect(bookingById(h.database.db, id)).toMatchObject({ provisional: false, reconciliation: 'accepted' });
    expect(cloud.get('booking', id)).toMatchObject({ simulator_id: bays[0] });
  });

  it('moved: the cloud sold the bay meanwhile, the walk-in moves to a free bay at the same time', async () => {
    await setup();
    const start = soon(60);
    const id = await provisionalOn(bays[0]!, start);
    const web = cloud.sell(bays[0]!, start, 60)!;
    await h.uploader.flushOnce(); // rejected as a conflict → moved, re-submitted
    expect(bookingById(h.database.db, id)).toMatchObject({
      simulator_id: bays[1],
      original_simulator_id: bays[0],
      reconciliation: 'moved',
    });
    await h.uploader.flushOnce(); // the re-submission is accepted
    expect(cloud.get('booking', id)).toMatchObject({ simulator_id: bays[1], status: 'confirmed' });
    expect(cloud.get('booking', web)).toMatchObject({ simulator_id: bays[0], status: 'confirmed' });
    expect(bookingById(h.database.db, id)?.reconciliation).toBe('moved');
    expect(outboxDepth(h.database.db)).toEqual({ pending: 0, rejected: 0 });
  });

  it('flagged: no other bay is free, the cloud booking stands and staff are told', async () => {
    await setup({ bays: 1 });
    const start = soon(60);
    const id = await provisionalOn(bays[0]!, start);
    cloud.sell(bays[0]!, start + 30 * MIN, 60);
    await h.uploader.flushOnce();
    expect(bookingById(h.database.db, id)).toMatchObject({ status: 'cancelled', reconciliation: 'flagged' });
    expect(bookingById(h.database.db, id)?.reconciliation_note).toMatch(/staff must resolve/);
    expect(rejectedEvents(h.database.db, 5)[0]?.rejected_reason).toMatch(/conflict/);
    expect(cloud.get('booking', id)).toBeUndefined();
  });
});

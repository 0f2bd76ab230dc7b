import { statSync } from 'node:fs';
import path from 'node:path';
import {
  bytesToHex,
  generateSigningKeyPair,
  issueAccessToken,
  type SigningKeyPair,
} from '@clubos/shared/credentials';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bookingById, insertBooking } from '../bookings/booking.repository.js';
import { openDatabase } from '../db/database.js';
import { readSyncState } from '../sync/replica.repository.js';
import { FakeCloud } from '../testing/fake-cloud.js';
import { seedFacility } from '../testing/seed-facility.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { buildTestEdge, registerKiosk } from '../testing/test-edge.js';
import { fileKeyStore, freshPin } from './walk-in-credentials.js';

const MIN = 60_000;
let cloud: FakeCloud;
let tmp: ReturnType<typeof tempDir>;
let app: FastifyInstance;
let bays: string[];
let cloudKeys: SigningKeyPair;
let kiosk: string;

const build = (): Promise<FastifyInstance> =>
  buildTestEdge(tmp.dir, {
    CLOUD_URL: cloud.url,
    EDGE_KEY: cloud.issueKey(),
    ACCESS_TOKEN_PUBLIC_KEY: bytesToHex(cloudKeys.publicKey),
  });

const nextMinute = () => Math.ceil((Date.now() + MIN) / MIN) * MIN;

async function sell(bay: string, start: number, duration: number) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/walk-ins',
    headers: { authorization: kiosk },
    payload: { simulator_id: bay, start_time: new Date(start).toISOString(), duration },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    booking: { id: string; reference_code: string };
    mode: string;
    qr_code: string;
    access_code: string;
    valid_from: string;
    valid_until: string;
    doors: string[];
  };
}

async function door(doorId: string, body: { qr_code: string } | { pin: string }) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/doors/${doorId}/decisions`,
    headers: { authorization: kiosk },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { decision: string; reason: string; booking_id: string | null };
}

beforeEach(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  ({ bayIds: bays } = seedFacility(cloud, { bays: 2 }));
  cloudKeys = generateSigningKeyPair();
  tmp = tempDir();
  app = await build();
  expect(await eventually(() => app.edge.sync?.link.online === true)).toBe(true);
  kiosk = await registerKiosk(app);
});
afterEach(async () => {
  await app?.close();
  await cloud.close();
  tmp.cleanup();
});

describe('walk-in door credentials', () => {
  it('hands out a CB1 token and a PIN that open the front door, and the PIN survives the cloud’s copy', async () => {
    const start = nextMinute();
    const sold = await sell(bays[0]!, start, 60);
    expect(sold.mode).toBe('online');
    expect(sold.qr_code).toMatch(/^CB1\.[\w-]+\.[\w-]+$/);
    expect(sold.access_code).toMatch(/^\d{6}$/);
    expect(sold.doors).toEqual(['main']);
    expect(Date.parse(sold.valid_from)).toBe(start - 15 * MIN);
    expect(Date.parse(sold.valid_until)).toBe(start + 75 * MIN);

    expect(await door('main', { qr_code: sold.qr_code })).toMatchObject({
      decision: 'granted',
      reason: 'valid',
      booking_id: sold.booking.id,
    });
    expect(await door('main', { pin: sold.access_code })).toMatchObject({
      decision: 'granted',
      booking_id: sold.booking.id,
    });
    // The kiosk's scanner path: a QR lookup finds the walk-in by its token.
    const lookup = await app.inject({
      url: `/api/v1/bookings/lookup?qr=${encodeURIComponent(sold.qr_code)}`,
      headers: { authorization: kiosk },
    });
    expect(lookup.json().id).toBe(sold.booking.id);

    // The cloud kept the edge's PIN, so its copy coming back through the feed changes nothing.
    expect(cloud.get('booking', sold.booking.id)?.access_code).toBe(sold.access_code);
    const head = cloud.head;
    expect(await eventually(() => (readSyncState(app.edge.database.db)?.cursor ?? 0) >= head)).toBe(true);
    expect(bookingById(app.edge.database.db, sold.booking.id)?.access_code).toBe(sold.access_code);
    expect(await door('main', { pin: sold.access_code })).toMatchObject({ decision: 'granted' });
  });

  it('issues them offline too, and the cloud adopts the PIN once the walk-in is uploaded', async () => {
    cloud.down = true;
    const sold = await sell(bays[1]!, nextMinute(), 30);
    expect(sold.mode).toBe('offline');
    expect(await door('main', { qr_code: sold.qr_code })).toMatchObject({ decision: 'granted' });
    expect(await door('main', { pin: sold.access_code })).toMatchObject({ decision: 'granted' });
    cloud.down = false;
    expect(
      await eventually(() => cloud.get('booking', sold.booking.id)?.access_code === sold.access_code, 15_000),
    ).toBe(true);
  });

  it('refuses a token signed by neither the cloud nor this edge, and still honours the cloud’s', async () => {
    const sold = await sell(bays[0]!, nextMinute(), 30);
    const start = nextMinute();
    const claims = {
      bookingId: sold.booking.id,
      facilityId: cloud.facilityId,
      doors: ['main'],
      start,
      end: start + 30 * MIN,
    };
    const forged = issueAccessToken({ ...claims, secretKey: generateSigningKeyPair().secretKey }).token;
    expect(await door('main', { qr_code: forged })).toMatchObject({ decision: 'denied', reason: 'forged' });
    const fromCloud = issueAccessToken({ ...claims, secretKey: cloudKeys.secretKey }).token;
    expect(await door('main', { qr_code: fromCloud })).toMatchObject({ decision: 'granted' });
  });

  it('keeps its signing key across a restart, so tokens already handed out still open doors', async () => {
    const sold = await sell(bays[0]!, nextMinute(), 30);
    const file = path.join(tmp.dir, 'walk-in-signing.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await app.close();
    app = await build();
    kiosk = await registerKiosk(app);
    expect(await door('main', { qr_code: sold.qr_code })).toMatchObject({ decision: 'granted' });
  });
});

describe('walk-in key store and PINs', () => {
  it('creates the key file only when a token is first signed, and never replaces it', () => {
    const file = path.join(tmp.dir, 'other.key');
    const a = fileKeyStore(file);
    expect(a.publicKey()).toBeNull();
    expect(() => statSync(file)).toThrow();
    const pair = a.keyPair();
    const b = fileKeyStore(file);
    expect(b.publicKey()).toEqual(pair.publicKey);
    expect(b.keyPair().secretKey).toEqual(pair.secretKey);
  });

  it('never gives a PIN another booking holds over an overlapping access window', () => {
    const database = openDatabase(':memory:');
    try {
      const at = Date.now();
      const base = {
        facility_id: 'f',
        simulator_id: 'b',
        reference_code: 'ABCDEF',
        duration: 60,
        status: 'confirmed',
        price_cents: 0,
        origin: 'cloud',
        created_at: at,
        updated_at: at,
      };
      insertBooking(database.db, {
        ...base,
        id: 'now',
        access_code: '111111',
        start_time: at,
        end_time: at + 60 * MIN,
      });
      insertBooking(database.db, {
        ...base,
        id: 'tomorrow',
        access_code: '222222',
        start_time: at + 24 * 60 * MIN,
        end_time: at + 25 * 60 * MIN,
      });
      const draws = ['111111', '222222'];
      expect(freshPin(database, { start: at, end: at + 30 * MIN }, {}, () => draws.shift()!)).toBe('222222');
    } finally {
      database.close();
    }
  });
});

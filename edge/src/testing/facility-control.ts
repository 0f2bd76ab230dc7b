import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  bytesToHex,
  generatePin,
  generateSigningKeyPair,
  issueAccessToken,
  type SigningKeyPair,
} from '@clubos/shared/credentials';
import Fastify, { type FastifyInstance } from 'fastify';
import { authPlugin } from '../auth/auth.plugin.js';
import type { AuthService } from '../auth/auth.service.js';
import type { FacilityControlConfig } from '../bays/facility-control.config.js';
import { facilityControlPlugin } from '../bays/facility-control.plugin.js';
import type { NinjaOneClient } from '../bays/ninjaone.client.js';
import { composeEdge, type FacilityControl } from '../composition-root.js';
import { loadConfig } from '../config.js';
import type { EdgeDatabase } from '../db/database.js';
import type { UnifiAccessClient } from '../doors/unifi-access.client.js';
import { lanDialectPlugin } from '../http/lan-dialect.js';
import { upsertReplicaRow } from '../sync/replica.repository.js';

/** UniFi simulator's default doors (simulators/src/unifi/unifi.state.ts). */
export const DOORS = {
  front: 'd0000000-0000-4000-8000-000000000001',
  bay1: 'd0000000-0000-4000-8000-000000000002',
  bay2: 'd0000000-0000-4000-8000-000000000003',
} as const;
/** NinjaOne simulator's bay PCs. */
export const NINJA_DEVICES = { bay1: 101, bay2: 102 } as const;

export const MINUTE = 60_000;

export interface Clock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function testClock(start: number): Clock {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** One facility, two bays wired to the simulators' doors and NinjaOne devices. */
export interface Venue {
  facilityId: string;
  bays: { id: string; door: string; ninja: number }[];
  keys: SigningKeyPair;
}

export function newVenue(): Venue {
  return {
    facilityId: randomUUID(),
    bays: [
      { id: randomUUID(), door: DOORS.bay1, ninja: NINJA_DEVICES.bay1 },
      { id: randomUUID(), door: DOORS.bay2, ninja: NINJA_DEVICES.bay2 },
    ],
    keys: generateSigningKeyPair(),
  };
}

export function seedVenue(database: EdgeDatabase, venue: Venue): void {
  database.immediate(() => {
    upsertReplicaRow(database.db, 'facility', {
      id: venue.facilityId,
      name: 'Test Golf Lounge',
      timezone: 'America/Toronto',
      settings: { entrance_door_ids: [DOORS.front] },
    } as never);
    venue.bays.forEach((bay, i) => {
      upsertReplicaRow(database.db, 'bay', {
        id: bay.id,
        facility_id: venue.facilityId,
        name: `Bay ${i + 1}`,
        type: 'trackman',
        bay_number: i + 1,
        hourly_rate_cents: 4000,
        status: 'active',
        maintenance_until: null,
        unifi_door_id: bay.door,
        ninjaone_device_id: String(bay.ninja),
      } as never);
    });
  });
}

export interface TestBooking {
  id: string;
  simulator_id: string;
  start_time: number;
  end_time: number;
  status: string;
  access_code: string;
  reference_code: string;
}

export function putBooking(
  database: EdgeDatabase,
  venue: Venue,
  input: Partial<TestBooking> & { start_time: number; end_time: number },
): TestBooking {
  const booking: TestBooking = {
    id: randomUUID(),
    simulator_id: venue.bays[0]!.id,
    status: 'confirmed',
    access_code: generatePin(),
    reference_code: randomUUID().slice(0, 6).toUpperCase(),
    ...input,
  };
  database.immediate(() =>
    upsertReplicaRow(database.db, 'booking', {
      ...booking,
      facility_id: venue.facilityId,
      customer_id: null,
      customer_name: 'Ada Lovelace',
      customer_email: null,
      customer_phone: null,
      duration: Math.round((booking.end_time - booking.start_time) / MINUTE),
      price_cents: 4000,
      payment_status: 'paid',
      payment_method: 'card',
      check_in_time: null,
      cancelled_at: null,
      cancellation_reason: null,
      origin: 'cloud',
      provisional: false,
      created_at: booking.start_time - 86_400_000,
      updated_at: booking.start_time - 86_400_000,
    } as never),
  );
  return booking;
}

export function qrFor(venue: Venue, booking: TestBooking, doors?: string[]): string {
  const bay = venue.bays.find((b) => b.id === booking.simulator_id)!;
  return issueAccessToken({
    secretKey: venue.keys.secretKey,
    bookingId: booking.id,
    facilityId: venue.facilityId,
    doors: doors ?? [DOORS.front, bay.door],
    bayId: booking.simulator_id,
    start: booking.start_time,
    end: booking.end_time,
  }).token;
}

export interface ControlHarness {
  app: FastifyInstance;
  control: FacilityControl;
  database: EdgeDatabase;
  mqttUrl: string;
  auth: AuthService;
  close(): Promise<void>;
}

/**
 * The facility-control plugin on the composition root (no cloud), a real SQLite file and a real TCP
 * broker (port 0), timers off.
 */
export async function startControlHarness(options: {
  file: string;
  venue: Venue;
  clock: Clock;
  unifi?: UnifiAccessClient | null;
  ninjaone?: NinjaOneClient | null;
  control?: Partial<FacilityControlConfig>;
  /** A fixed port lets devices reconnect to a restarted edge; default 0. */
  mqttPort?: number;
  brokerRetryMs?: number;
}): Promise<ControlHarness> {
  const config = loadConfig({
    EDGE_DATA_DIR: path.dirname(options.file),
    EDGE_DB_FILE: options.file,
    FACILITY_ID: options.venue.facilityId,
    ACCESS_TOKEN_PUBLIC_KEY: bytesToHex(options.venue.keys.publicKey),
    EDGE_STAFF_SESSION_HOURS: '1',
    LOG_LEVEL: 'silent',
  });
  const app = Fastify({ logger: false });
  const control = {
    unifi: null,
    ninjaone: null,
    sessionTickSeconds: 15,
    prepareLeadMinutes: 10,
    warnLeadMinutes: 5,
    noShowGraceMinutes: 15,
    provisioningHorizonHours: 48,
    healthCheckSeconds: 300,
    doorEventPollSeconds: 15,
    ...options.control,
  };
  const edge = composeEdge({
    config,
    log: app.log,
    now: options.clock.now,
    facilityControl: {
      control,
      unifi: options.unifi ?? null,
      ninjaone: options.ninjaone ?? null,
      mqttPort: options.mqttPort ?? 0,
    },
  });
  const { database, auth } = edge;
  seedVenue(database, options.venue);
  app.addHook('onClose', async () => database.close());
  await app.register(lanDialectPlugin);
  await app.register(authPlugin, { auth });
  await app.register(facilityControlPlugin, {
    facility: edge.facility,
    database,
    ...(options.brokerRetryMs === undefined ? {} : { brokerRetryMs: options.brokerRetryMs }),
    runTimers: false,
  });
  await app.ready();
  return {
    app,
    control: app.facilityControl,
    database,
    mqttUrl: app.facilityControl.broker.url,
    auth,
    close: () => app.close(),
  };
}

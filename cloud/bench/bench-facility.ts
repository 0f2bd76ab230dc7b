import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { testDatabaseUrl } from '../src/config.js';
import { FacilityRepository } from '../src/facilities/facility.repository.js';

/** The bench facility: 16 bays open around the clock on a 15-minute grid, one evening peak rule. */
export const BAYS = 16;
export const SLOT_MIN = 15;

export interface BenchFacility {
  facilityId: string;
  bays: string[];
  /** Midnight UTC two days from now: the first day the bench books. */
  firstDay: number;
}

/** A fresh PostgreSQL database on the TEST_DATABASE_URL server, or undefined when it is unset. */
export async function scratchDatabase(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const server = testDatabaseUrl();
  if (!server) return undefined;
  const name = `clubos_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function seedBenchFacility(app: FastifyInstance): Promise<BenchFacility> {
  const repo = new FacilityRepository(app.db);
  const facility = await repo.insertFacility({ name: 'Bench Golf', timezone: 'UTC' });
  const bays: string[] = [];
  for (let i = 1; i <= BAYS; i++) {
    const bay = await repo.insertBay({
      facilityId: facility.id,
      name: `Bay ${i}`,
      bayNumber: i,
      hourlyRateCents: 4000,
    });
    bays.push(bay.id);
    await repo.insertAvailabilityRules(
      Array.from({ length: 7 }, (_, day) => ({
        simulatorId: bay.id,
        dayOfWeek: day,
        startTime: '00:00',
        endTime: '24:00',
        slotDuration: SLOT_MIN,
        maxAdvanceDays: 365,
        minAdvanceHours: 1,
      })),
    );
  }
  await repo.insertPricingRules([
    {
      facilityId: facility.id,
      name: 'Evening peak',
      conditions: { start_time: '17:00', end_time: '23:00' },
      modifierType: 'percentage',
      priceModifier: '25',
    },
  ]);
  const now = new Date();
  const firstDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2);
  return { facilityId: facility.id, bays, firstDay };
}

/** Request bodies for slots nobody has booked: bay, then 15-minute step, then day. */
export function distinctBookings(f: BenchFacility, prefix = 'bench'): () => string {
  const slotsPerDay = (24 * 60) / SLOT_MIN;
  let next = 0;
  return () => {
    const n = next++;
    const bay = f.bays[n % BAYS]!;
    const step = Math.floor(n / BAYS);
    const start =
      f.firstDay + (Math.floor(step / slotsPerDay) * 1440 + (step % slotsPerDay) * SLOT_MIN) * 60_000;
    return JSON.stringify({
      simulator_id: bay,
      start_time: new Date(start).toISOString(),
      duration: SLOT_MIN,
      customer: { email: `${prefix}${n}@example.com` },
    });
  };
}

/** Contention: everyone wants the same 4 slots on the same 2 bays (a hot evening). */
export function contendedBookings(f: BenchFacility): () => string {
  let hot = 0;
  return () => {
    const n = hot++;
    const start = f.firstDay + 300 * 86_400_000 + (n % 4) * SLOT_MIN * 60_000;
    return JSON.stringify({
      simulator_id: f.bays[n % 2],
      start_time: new Date(start).toISOString(),
      duration: SLOT_MIN,
      customer: { email: `hot${n}@example.com` },
    });
  };
}

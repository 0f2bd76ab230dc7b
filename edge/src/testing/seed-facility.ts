import { randomUUID } from 'node:crypto';
import type { FakeCloud } from './fake-cloud.js';

export interface FixtureOptions {
  bays?: number;
  /** Seed default is 1 h; tests use 2 h so the offline horizon is easy to reason about. */
  minAdvanceHours?: number;
  bufferMinutes?: number;
}

/** A facility open around the clock every day (so tests do not depend on the hour they run at). */
export function seedFacility(cloud: FakeCloud, options: FixtureOptions = {}): { bayIds: string[] } {
  cloud.put('facility', cloud.facilityId, {
    name: 'Test Golf Lounge',
    timezone: 'America/Toronto',
    settings: { tax_rate_bps: 1300 },
  });
  const bayIds: string[] = [];
  for (let n = 1; n <= (options.bays ?? 3); n++) {
    const id = randomUUID();
    bayIds.push(id);
    cloud.put('bay', id, {
      facility_id: cloud.facilityId,
      name: `Bay ${n}`,
      type: 'trackman',
      bay_number: n,
      hourly_rate: '40.00',
      hourly_rate_cents: 4000,
      status: 'active',
      maintenance_until: null,
    });
    for (let dow = 0; dow < 7; dow++) {
      cloud.put('availability_rule', randomUUID(), {
        simulator_id: id,
        day_of_week: dow,
        start_time: '00:00',
        end_time: '24:00',
        slot_duration: 30,
        buffer_time: options.bufferMinutes ?? 0,
        max_advance_days: 30,
        min_advance_hours: options.minAdvanceHours ?? 2,
      });
    }
  }
  return { bayIds };
}

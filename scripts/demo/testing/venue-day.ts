import { vi } from 'vitest';
// The cloud's Fastify decorations (`app.db`) are declared beside its services container.
import type {} from '../../../cloud/src/services.js';
import type { BayDeviceAgent } from '../../../simulators/src/index.js';
import type { Demo } from '../start-demo.js';

/** America/Toronto is UTC−5 in December (no DST change near the scenario's day). */
const TORONTO_OFFSET = '-05:00';
export const DAY = '2026-12-03'; // a Thursday: weekday evening peak pricing applies from 17:00

/** An instant at a Toronto wall-clock time on the scenario's day (`'18:00'`, or `'+1 00:30'`). */
export function at(localTime: string): number {
  const nextDay = localTime.startsWith('+1 ');
  const time = nextDay ? localTime.slice(3) : localTime;
  const date = nextDay ? '2026-12-04' : DAY;
  return Date.parse(`${date}T${time}:00${TORONTO_OFFSET}`);
}

/**
 * The venue's clock. The cloud has no clock option, so the whole process's `Date` is faked (only
 * `Date`: timers, sockets and PGlite's I/O stay real). `shouldAdvanceTime` keeps it ticking with
 * real time between jumps, so the long-polls, backoffs and JWT checks that compare `Date.now()`
 * with a deadline still end; a jump moves every component (cloud, edge, simulators, devices) at
 * once, as they share this process.
 */
export function venueClock() {
  return {
    install(start: number) {
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(start);
    },
    set(localTime: string) {
      vi.setSystemTime(at(localTime));
    },
    uninstall() {
      vi.useRealTimers();
    },
  };
}

/** Polls (real time) until `check` returns a value that is not undefined/false, or fails. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
  everyMs = 25,
): Promise<T> {
  const started = performance.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Every state a bay PC reports from now on (what the bay shows the customer). */
export function recordBayStates(demo: Demo, bayNumber: number): Array<BayDeviceAgent['state']> {
  const states: Array<BayDeviceAgent['state']> = [];
  demo.devices.bays.get(bayNumber)!.on('state', (state) => states.push(state));
  return states;
}

interface AuditRow {
  kind: string;
  at: number;
  subject: string | null;
  decision: string | null;
  details: string | null;
}

interface CloudEvent {
  event_id: string;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * The edge's audit rows that are reported to the cloud, and the cloud's received edge events, each
 * as one comparable key: the two lists must be equal, so each audit event arrived exactly once.
 * (An online walk-in is booked in the cloud directly and is no event; unlock failures and
 * emergencies are local alerts.)
 */
export function auditTrail(demo: Demo): Promise<{ edge: string[]; cloud: string[]; eventIds: string[] }> {
  const sqlite = demo.edge.server.app.edge.database.sqlite;
  const rows = sqlite
    .prepare('SELECT kind, at, subject, decision, details FROM audit_log ORDER BY id')
    .all() as AuditRow[];
  const edge: string[] = [];
  for (const row of rows) {
    const details = row.details === null ? {} : (JSON.parse(row.details) as Record<string, unknown>);
    if (row.kind === 'door.decision') {
      edge.push(`door.decision ${row.subject} ${row.decision} ${details.booking_id ?? '-'} ${row.at}`);
    } else if (row.kind === 'booking.checked_in' || row.kind === 'booking.no_show') {
      edge.push(`${row.kind} ${row.subject}`);
    } else if (row.kind === 'walk_in.sold' && row.decision !== 'online') {
      edge.push(`walk_in.created ${row.subject}`);
    }
  }
  return (async () => {
    const result = (await demo.cloud.db.execute(
      `SELECT event_id, type, payload FROM edge_events WHERE facility_id = '${demo.venue.facilityId}'`,
    )) as unknown as { rows: CloudEvent[] };
    const cloud: string[] = [];
    for (const event of result.rows) {
      const p = event.payload;
      if (event.type === 'door.decision') {
        cloud.push(
          `door.decision ${p.door_id} ${p.decision} ${p.booking_id ?? '-'} ${Date.parse(String(p.decided_at))}`,
        );
      } else if (['booking.checked_in', 'booking.no_show', 'walk_in.created'].includes(event.type)) {
        cloud.push(`${event.type} ${p.booking_id}`);
      }
    }
    return { edge: edge.sort(), cloud: cloud.sort(), eventIds: result.rows.map((r) => r.event_id) };
  })();
}

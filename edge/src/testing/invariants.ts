import type { EdgeDatabase } from '../db/database.js';
import type { FakeCloud } from './fake-cloud.js';

const ACTIVE = new Set(['pending', 'confirmed', 'checked_in']);

interface Span {
  id: string;
  bay: string;
  start: number;
  end: number;
}

/** Pairs of active bookings that overlap on the same bay (must be empty). */
export function overlaps(spans: Span[]): [string, string][] {
  const out: [string, string][] = [];
  const byBay = new Map<string, Span[]>();
  for (const s of spans) byBay.set(s.bay, [...(byBay.get(s.bay) ?? []), s]);
  for (const list of byBay.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.start < list[i - 1]!.end) out.push([list[i - 1]!.id, list[i]!.id]);
    }
  }
  return out;
}

export function cloudActiveSpans(cloud: FakeCloud): Span[] {
  return cloud
    .all('booking')
    .filter((b) => ACTIVE.has(String(b.status)))
    .map((b) => ({
      id: String(b.id),
      bay: String(b.simulator_id),
      start: Date.parse(String(b.start_time)),
      end: Date.parse(String(b.end_time)),
    }));
}

export function edgeActiveSpans(database: EdgeDatabase): Span[] {
  const rows = database.sqlite
    .prepare(
      "SELECT id, simulator_id, start_time, end_time FROM bookings WHERE status IN ('pending','confirmed','checked_in')",
    )
    .all() as { id: string; simulator_id: string; start_time: number; end_time: number }[];
  return rows.map((r) => ({ id: r.id, bay: r.simulator_id, start: r.start_time, end: r.end_time }));
}

/** Edge booking rows that disagree with the cloud (bay or status), for every booking the cloud has. */
export function replicaDifferences(cloud: FakeCloud, database: EdgeDatabase): string[] {
  const diffs: string[] = [];
  for (const b of cloud.all('booking')) {
    const row = database.sqlite
      .prepare('SELECT simulator_id, status, origin FROM bookings WHERE id = ?')
      .get(b.id) as { simulator_id: string; status: string; origin: string } | undefined;
    if (row === undefined) diffs.push(`${String(b.id)} missing at the edge`);
    else if (row.simulator_id !== b.simulator_id || row.status !== b.status || row.origin !== 'cloud') {
      diffs.push(
        `${String(b.id)}: edge ${row.simulator_id}/${row.status}/${row.origin}, cloud ${String(b.simulator_id)}/${String(b.status)}`,
      );
    }
  }
  return diffs;
}

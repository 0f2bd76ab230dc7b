import { localDateOf } from '@clubos/shared/time';
import { DateTime } from 'luxon';
import type { DashboardBooking } from './dashboard.repository.js';

/**
 * Pure arithmetic behind the dashboard, in the facility's zone. Definitions:
 * - bookings: bookings starting that local date, cancelled ones excluded;
 * - revenue: not from bookings but from the money that moved that date (succeeded payments minus
 *   succeeded refunds, `netByLocalDate` of @clubos/shared/payments); filled in by the service;
 * - cancellations: bookings cancelled on that date (whenever they were due to start);
 * - no_shows: bookings of that date marked no-show;
 * - sold time (occupancy, heatmap): bookings that held or used the bay (not cancelled).
 */
export interface DayFigures {
  bookings: number;
  cancellations: number;
  no_shows: number;
}

export const isSold = (b: DashboardBooking) => b.status !== 'cancelled';

export function figuresByDate(rows: readonly DashboardBooking[], dates: readonly string[], zone: string) {
  const out = new Map<string, DayFigures>(
    dates.map((d) => [d, { bookings: 0, cancellations: 0, no_shows: 0 }]),
  );
  for (const b of rows) {
    const due = out.get(localDateOf(b.startTime.getTime(), zone));
    if (due) {
      if (isSold(b)) due.bookings += 1;
      if (b.status === 'no_show') due.no_shows += 1;
    }
    if (b.cancelledAt) {
      const cancelled = out.get(localDateOf(b.cancelledAt.getTime(), zone));
      if (cancelled) cancelled.cancellations += 1;
    }
  }
  return out;
}

/**
 * Sold bay-minutes per local weekday (0 = Sunday) and hour, clipped to `[from, to)`: the
 * occupancy heatmap. Always 7 × 24 cells, so a client can draw it without filling gaps.
 */
export function heatmap(rows: readonly DashboardBooking[], from: number, to: number, zone: string) {
  const minutes = Array.from({ length: 7 * 24 }, () => 0);
  for (const b of rows) {
    if (!isSold(b)) continue;
    let cursor = Math.max(b.startTime.getTime(), from);
    const end = Math.min(b.endTime.getTime(), to);
    while (cursor < end) {
      const local = DateTime.fromMillis(cursor, { zone });
      // Next local hour boundary as an instant (DST-safe: luxon adds real time).
      const next = Math.min(local.startOf('hour').plus({ hours: 1 }).toMillis(), end);
      minutes[(local.weekday % 7) * 24 + local.hour]! += (next - cursor) / 60_000;
      cursor = next;
    }
  }
  return minutes.map((m, i) => ({
    weekday: Math.floor(i / 24),
    hour: i % 24,
    booked_minutes: Math.round(m),
  }));
}

/** 0–1 → percent with one decimal, as the seed's `occupancy: 78.5`. */
export const percent = (ratio: number) => Math.round(ratio * 1000) / 10;

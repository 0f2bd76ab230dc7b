import type { AvailabilityRule } from '../model/availability-rule.model.js';
import { localWindow } from '../time/facility-day.js';
import { type Interval, mergeIntervals } from '../time/interval.js';
import { dateFromDayNumber, dayNumber } from '../time/local-date.js';
import { parseLocalTime } from '../time/local-time.js';

/** One rule's opening window on one business date: the grid slots are laid on. */
export interface GridWindow {
  rule: AvailabilityRule;
  businessDate: string;
  start: number;
  end: number;
}

export interface OpeningWindows {
  /** Windows of the requested business dates, by start: slots are generated from these. */
  grids: GridWindow[];
  /**
   * Union of every window touching the requested dates (one date either side included: Thursday's
   * 10:00–02:00 covers early Friday): a slot must lie inside it.
   */
  open: Interval[];
}

/**
 * Per-request memo shared by all bays: a venue's bays usually share their hours, so each
 * (date, start, end) window is resolved once, not once per bay.
 */
export type WindowMemo = Map<string, Interval>;

/**
 * Resolves a bay's weekly rules to real windows, in the facility zone, once per request. Every
 * local→UTC conversion happens here, never per slot.
 */
export function openingWindows(
  rules: readonly AvailabilityRule[],
  firstDate: string,
  days: number,
  zone: string,
  memo: WindowMemo = new Map(),
): OpeningWindows {
  const byDow: AvailabilityRule[][] = [[], [], [], [], [], [], []];
  for (const r of rules) byDow[r.day_of_week]?.push(r);
  const first = dayNumber(firstDate);
  const grids: GridWindow[] = [];
  const all: Interval[] = [];
  for (let n = first - 1; n <= first + days; n++) {
    const dow = (((n + 4) % 7) + 7) % 7; // day 0 (1970-01-01) was a Thursday
    const dayRules = byDow[dow] as AvailabilityRule[];
    if (dayRules.length === 0) continue;
    let date: string | null = null;
    for (const rule of dayRules) {
      const key = `${n}|${rule.start_time}|${rule.end_time}`;
      let w = memo.get(key);
      if (w === undefined) {
        date ??= dateFromDayNumber(n);
        w = localWindow(date, parseLocalTime(rule.start_time), parseLocalTime(rule.end_time), zone);
        memo.set(key, w);
      }
      if (w.end <= w.start) continue; // e.g. 02:00–03:00 on spring-forward night: that hour never happens
      all.push({ start: w.start, end: w.end });
      if (n >= first && n < first + days) {
        date ??= dateFromDayNumber(n);
        grids.push({ rule, businessDate: date, start: w.start, end: w.end });
      }
    }
  }
  grids.sort((a, b) => a.start - b.start);
  return { grids, open: mergeIntervals(all) };
}

/** A half-open span of real time `[start, end)` in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Half-open: [9:00, 10:00) and [10:00, 11:00) touch but do not overlap. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Length of the overlap of two intervals in ms (0 when disjoint). */
export function overlapMs(a: Interval, b: Interval): number {
  const len = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  return Math.max(len, 0);
}

/** Real elapsed minutes: on a DST day 01:00→03:00 local may be one hour, not two. */
export function durationMinutes(interval: Interval): number {
  return (interval.end - interval.start) / MINUTE_MS;
}

/**
 * Sorted union of intervals: overlapping and touching ones are joined, empty ones dropped.
 * Returns new objects; the input is not modified.
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  // Schedules usually arrive ordered by start and non-empty: then the copy and the sort are skipped.
  let ordered = true;
  for (let i = 0; i < intervals.length && ordered; i++) {
    const cur = intervals[i] as Interval;
    const prev = intervals[i - 1];
    ordered = cur.end > cur.start && (prev === undefined || prev.start <= cur.start);
  }
  const sorted = ordered
    ? intervals
    : intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const cur of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && cur.start <= last.end) {
      if (cur.end > last.end) last.end = cur.end;
    } else {
      out.push({ start: cur.start, end: cur.end });
    }
  }
  return out;
}

/**
 * Index of the first interval in a sorted, disjoint list whose end is after `t`, or the list
 * length. Disjoint sorted intervals have sorted ends too, so a binary search is exact.
 */
export function firstEndingAfter(sorted: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as Interval).end > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** True when `[start, end)` overlaps any interval of a sorted, disjoint list (O(log n)). */
export function hitsAny(sorted: readonly Interval[], start: number, end: number): boolean {
  const i = firstEndingAfter(sorted, start);
  const candidate = sorted[i];
  return candidate !== undefined && candidate.start < end;
}

/** True when `[start, end)` lies inside one interval of a sorted, disjoint, merged list. */
export function insideAny(sorted: readonly Interval[], start: number, end: number): boolean {
  const i = firstEndingAfter(sorted, start);
  const candidate = sorted[i];
  return candidate !== undefined && candidate.start <= start && end <= candidate.end;
}

import { IANAZone } from 'luxon';
import { DomainInputError } from '../model/domain-input.error.js';
import { DAY_MS, MINUTE_MS } from './interval.js';
import { formatLocalDate, parseLocalDate } from './local-date.js';
import { formatLocalTime, parseLocalTime } from './local-time.js';

/**
 * Facility-local wall-clock time ↔ UTC instants, in an IANA zone (luxon supplies the offsets). A local
 * time is unique, nonexistent (in the spring-forward gap) or ambiguous (twice after fall-back). The
 * default 'compatible' disambiguation (RFC 5545, Temporal) takes an ambiguous time's FIRST occurrence
 * and reads a nonexistent one with the offset before the gap, i.e. moves it forward by the gap
 * (02:30 → 03:30 EDT). The cases and their consequences: shared/src/time/README.md.
 */
export type Disambiguation = 'compatible' | 'earlier' | 'later' | 'reject';

export type LocalTimeKind = 'unique' | 'ambiguous' | 'nonexistent';

export interface LocalTimeResolution {
  kind: LocalTimeKind;
  /** Real instants showing this wall-clock time, ascending: 1 (unique), 2 (ambiguous) or 0 (gap). */
  instants: number[];
  /** For a gap: the instant before it and the one after it that 'earlier'/'later' choose. */
  gapEarlier: number | null;
  gapLater: number | null;
}

const validZones = new Set<string>();

export function assertValidZone(zone: string, field = 'timezone'): void {
  if (validZones.has(zone)) return;
  if (typeof zone !== 'string' || zone === '' || !IANAZone.create(zone).isValid) {
    throw new DomainInputError(field, `'${String(zone)}' is not an IANA time zone`);
  }
  validZones.add(zone);
}

const OFFSET_SPAN_MS = 15 * MINUTE_MS;
const OFFSET_MEMO_LIMIT = 20_000;
/** zone → 15-minute span number → the offset throughout that span, or NaN if it changes inside. */
const offsetMemo = new Map<string, Map<number, number>>();

/**
 * UTC offset in minutes of `zone` at instant `ms` (e.g. -240 for EDT), remembered per 15-minute span
 * of UTC (docs/performance.md, "Facility time: zone offsets and conversions"): a span whose first and
 * last millisecond share an offset has it throughout (zones change offset at most once in any 48 h);
 * a span with a transition inside is marked and always asked exactly.
 */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  assertValidZone(zone);
  let spans = offsetMemo.get(zone);
  if (spans === undefined) {
    spans = new Map();
    offsetMemo.set(zone, spans);
  }
  const span = Math.floor(ms / OFFSET_SPAN_MS);
  const known = spans.get(span);
  if (known !== undefined && !Number.isNaN(known)) return known;
  const z = IANAZone.create(zone);
  if (known === undefined) {
    const first = z.offset(span * OFFSET_SPAN_MS);
    const last = z.offset(span * OFFSET_SPAN_MS + OFFSET_SPAN_MS - 1);
    if (spans.size >= OFFSET_MEMO_LIMIT) spans.clear();
    spans.set(span, first === last ? first : Number.NaN);
    if (first === last) return first;
  }
  return z.offset(ms);
}

function naiveUtc(date: string, minutesOfDay: number, field: string): number {
  const p = parseLocalDate(date, field);
  // Date.UTC rolls minute 1440 over to the next day's midnight.
  return Date.UTC(p.year, p.month - 1, p.day, 0, minutesOfDay);
}

/** What a local wall-clock time means in `zone` on `date` (no disambiguation applied). */
export function resolveLocalMinutes(date: string, minutesOfDay: number, zone: string): LocalTimeResolution {
  assertValidZone(zone);
  const z = IANAZone.create(zone);
  const naive = naiveUtc(date, minutesOfDay, 'date');
  // Real zones change offset at most once in any 48 h, so the offsets a day either side are the only
  // candidates.
  const before = z.offset(naive - DAY_MS);
  const after = z.offset(naive + DAY_MS);
  const instants: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = naive - offset * MINUTE_MS;
    if (z.offset(candidate) === offset && !instants.includes(candidate)) instants.push(candidate);
  }
  instants.sort((a, b) => a - b);
  if (instants.length > 0) {
    return {
      kind: instants.length === 1 ? 'unique' : 'ambiguous',
      instants,
      gapEarlier: null,
      gapLater: null,
    };
  }
  return {
    kind: 'nonexistent',
    instants,
    gapEarlier: naive - after * MINUTE_MS,
    gapLater: naive - before * MINUTE_MS,
  };
}

const MEMO_LIMIT = 50_000;
const memo = new Map<string, number>();

/** Drops memoised conversions and offsets (used by the benchmark to measure cold calls). */
export function clearLocalTimeCache(): void {
  memo.clear();
  offsetMemo.clear();
}

/**
 * The instant at which the wall clock in `zone` shows `minutesOfDay` on `date`. Memoised (bounded):
 * the engine asks for the same few opening times for every bay and request (docs/performance.md).
 */
export function atLocalMinutes(
  date: string,
  minutesOfDay: number,
  zone: string,
  disambiguation: Disambiguation = 'compatible',
): number {
  const key = `${zone}|${date}|${minutesOfDay}|${disambiguation}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const r = resolveLocalMinutes(date, minutesOfDay, zone);
  let result: number;
  if (r.kind === 'unique') {
    result = r.instants[0] as number;
  } else if (disambiguation === 'reject') {
    const what = r.kind === 'ambiguous' ? 'happens twice' : 'does not exist';
    throw new DomainInputError('time', `${date} ${formatLocalTime(minutesOfDay)} ${what} in ${zone}`);
  } else if (r.kind === 'ambiguous') {
    result = (disambiguation === 'later' ? r.instants[1] : r.instants[0]) as number;
  } else {
    result = (disambiguation === 'earlier' ? r.gapEarlier : r.gapLater) as number;
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, result);
  return result;
}

/** `atLocalTime('2025-08-01', '19:00', 'America/Toronto')` → epoch ms of 19:00 EDT that day. */
export function atLocalTime(
  date: string,
  time: string,
  zone: string,
  disambiguation: Disambiguation = 'compatible',
): number {
  return atLocalMinutes(date, parseLocalTime(time), zone, disambiguation);
}

export interface LocalDateTime {
  date: string;
  /** Minutes after local midnight, fractional when `ms` is not on a whole minute. */
  minutes: number;
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
}

/** The facility-local calendar date and time of day at instant `ms`. */
export function toLocal(ms: number, zone: string): LocalDateTime {
  const shifted = new Date(ms + zoneOffsetMinutes(zone, ms) * MINUTE_MS);
  const date = formatLocalDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
  const minutes =
    shifted.getUTCHours() * 60 +
    shifted.getUTCMinutes() +
    (shifted.getUTCSeconds() * 1000 + shifted.getUTCMilliseconds()) / MINUTE_MS;
  return { date, minutes, dayOfWeek: shifted.getUTCDay() };
}

export function localDateOf(ms: number, zone: string): string {
  return toLocal(ms, zone).date;
}

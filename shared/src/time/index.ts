export {
  facilityDay,
  localWindow,
  localWindowOf,
  plusCalendarDays,
  relativeDayAt,
  tomorrowAt,
} from './facility-day.js';
export { parseInstant, parseOptionalInstant, RFC3339_INSTANT_PATTERN, readInstant } from './instant.js';
export type { Interval } from './interval.js';
export {
  DAY_MS,
  durationMinutes,
  firstEndingAfter,
  HOUR_MS,
  hitsAny,
  insideAny,
  MINUTE_MS,
  mergeIntervals,
  overlapMs,
  overlaps,
} from './interval.js';
export type { DateParts } from './local-date.js';
export {
  addDays,
  dateFromDayNumber,
  dayName,
  dayNumber,
  dayOfWeek,
  formatLocalDate,
  parseLocalDate,
} from './local-date.js';
export { formatLocalTime, parseLocalTime } from './local-time.js';
export type { Disambiguation, LocalDateTime, LocalTimeKind, LocalTimeResolution } from './zone.js';
export {
  assertValidZone,
  atLocalMinutes,
  atLocalTime,
  clearLocalTimeCache,
  localDateOf,
  resolveLocalMinutes,
  toLocal,
  zoneOffsetMinutes,
} from './zone.js';

import { BAY_STATUSES } from '../model/bay.model.js';
import { DomainInputError } from '../model/domain-input.error.js';
import { parseLocalTime } from '../time/local-time.js';
import { assertValidZone } from '../time/zone.js';
import type { AvailabilityInput } from './availability.types.js';

const isInt = (v: unknown, min: number, max: number) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * Rejects input the engine cannot reason about, naming the field (`rules[3].slot_duration`), so a
 * bad row or parameter becomes a 400 with a reason, never a wrong answer or a crash.
 */
export function validateAvailabilityInput(input: AvailabilityInput): void {
  assertValidZone(input.facility.timezone, 'facility.timezone');
  if (!Number.isFinite(input.now)) throw new DomainInputError('now', 'must be an epoch-ms instant');
  if (input.channel !== undefined && input.channel !== 'online' && input.channel !== 'walk_in') {
    throw new DomainInputError('channel', `must be 'online' or 'walk_in'`);
  }
  input.bays.forEach((b, i) => {
    if (!BAY_STATUSES.includes(b.status))
      throw new DomainInputError(`bays[${i}].status`, `unknown status '${String(b.status)}'`);
    if (!isInt(b.hourly_rate_cents, 0, Number.MAX_SAFE_INTEGER)) {
      throw new DomainInputError(`bays[${i}].hourly_rate_cents`, 'must be a non-negative integer');
    }
  });
  input.rules.forEach((r, i) => {
    const f = `rules[${i}]`;
    if (!isInt(r.day_of_week, 0, 6))
      throw new DomainInputError(`${f}.day_of_week`, 'must be 0 (Sunday) to 6 (Saturday)');
    parseLocalTime(r.start_time, `${f}.start_time`);
    parseLocalTime(r.end_time, `${f}.end_time`);
    if (!isInt(r.slot_duration, 1, 1440))
      throw new DomainInputError(`${f}.slot_duration`, 'must be 1–1440 minutes');
    if (!isInt(r.buffer_time, 0, 1440))
      throw new DomainInputError(`${f}.buffer_time`, 'must be 0–1440 minutes');
    if (!isInt(r.max_advance_days, 0, 3660))
      throw new DomainInputError(`${f}.max_advance_days`, 'must be 0–3660 days');
    if (!(Number.isFinite(r.min_advance_hours) && r.min_advance_hours >= 0)) {
      throw new DomainInputError(`${f}.min_advance_hours`, 'must be a non-negative number of hours');
    }
  });
  input.closures?.forEach((c, i) => {
    if (!(Number.isFinite(c.start) && Number.isFinite(c.end) && c.end > c.start)) {
      throw new DomainInputError(`closures[${i}].end`, 'must be after start');
    }
  });
  input.busy?.forEach((b, i) => {
    if (!(Number.isFinite(b.start) && Number.isFinite(b.end) && b.end > b.start)) {
      throw new DomainInputError(`busy[${i}].end`, 'must be after start');
    }
  });
}

export function validateQueryShape(date: string, days: number, duration: number): void {
  if (!isInt(days, 1, 62)) throw new DomainInputError('days', 'must be an integer 1–62');
  if (!isInt(duration, 1, 1440))
    throw new DomainInputError('duration', 'must be an integer number of minutes, 1–1440');
  if (typeof date !== 'string') throw new DomainInputError('date', "expected 'YYYY-MM-DD'");
}

import { describe, expect, it } from 'vitest';
import { facilityDay, localWindowOf, plusCalendarDays, relativeDayAt, tomorrowAt } from './facility-day.js';
import { durationMinutes, HOUR_MS } from './interval.js';

const TOR = 'America/Toronto';
const LON = 'Europe/London';

describe('facilityDay', () => {
  it('is 24 h on an ordinary day and starts at local midnight', () => {
    const d = facilityDay('2025-08-01', TOR);
    expect(d.start).toBe(Date.UTC(2025, 7, 1, 4, 0));
    expect(d.end - d.start).toBe(24 * HOUR_MS);
  });

  it('is 23 h on spring-forward day and 25 h on fall-back day', () => {
    expect(durationMinutes(facilityDay('2025-03-09', TOR))).toBe(23 * 60);
    expect(durationMinutes(facilityDay('2025-11-02', TOR))).toBe(25 * 60);
    expect(durationMinutes(facilityDay('2025-03-30', LON))).toBe(23 * 60);
    expect(durationMinutes(facilityDay('2025-10-26', LON))).toBe(25 * 60);
  });

  it('tiles time: each day ends where the next begins', () => {
    expect(facilityDay('2025-11-02', TOR).end).toBe(facilityDay('2025-11-03', TOR).start);
  });

  it('starts at the first real instant when midnight itself is skipped', () => {
    // America/Santiago springs forward at 24:00 → 01:00 (2024-09-08).
    const d = facilityDay('2024-09-08', 'America/Santiago');
    expect(d.start).toBe(Date.UTC(2024, 8, 8, 4, 0)); // 01:00 -03
    expect(durationMinutes(d)).toBe(23 * 60);
  });
});

describe('localWindowOf', () => {
  it('runs a window past midnight into the next day', () => {
    const w = localWindowOf('2025-08-01', '10:00', '02:00', TOR); // Friday
    expect(w.start).toBe(Date.UTC(2025, 7, 1, 14, 0));
    expect(w.end).toBe(Date.UTC(2025, 7, 2, 6, 0)); // Saturday 02:00 EDT
    expect(durationMinutes(w)).toBe(16 * 60);
  });

  it('loses the skipped hour and gains the repeated hour over a DST night', () => {
    expect(durationMinutes(localWindowOf('2025-03-08', '10:00', '04:00', TOR))).toBe(17 * 60);
    expect(durationMinutes(localWindowOf('2025-11-01', '10:00', '04:00', TOR))).toBe(19 * 60);
  });

  it("treats '24:00' as the next midnight", () => {
    expect(durationMinutes(localWindowOf('2025-08-01', '08:00', '24:00', TOR))).toBe(16 * 60);
  });
});

describe('relative days', () => {
  it('"tomorrow 7pm" is evaluated in the facility zone, not UTC', () => {
    // 2025-08-02 02:00Z is still Aug 1 in Toronto, so tomorrow is Aug 2.
    expect(tomorrowAt(Date.UTC(2025, 7, 2, 2, 0), TOR, '19:00')).toBe(Date.UTC(2025, 7, 2, 23, 0));
    expect(relativeDayAt(Date.UTC(2025, 7, 2, 2, 0), TOR, 0, '19:00')).toBe(Date.UTC(2025, 7, 1, 23, 0));
  });

  it('"tomorrow 7pm" across spring-forward is 23 h after "today 8pm"', () => {
    const sat = Date.UTC(2025, 2, 8, 17, 0); // Saturday noon EST
    expect(tomorrowAt(sat, TOR, '19:00')).toBe(Date.UTC(2025, 2, 9, 23, 0)); // 19:00 EDT
  });

  it('adds calendar days at the same wall-clock time', () => {
    const fri = Date.UTC(2025, 2, 7, 17, 0); // 12:00 EST
    expect(plusCalendarDays(fri, 7, TOR)).toBe(Date.UTC(2025, 2, 14, 16, 0)); // 12:00 EDT
    expect(() => plusCalendarDays(fri, 1.5, TOR)).toThrow(/integer/);
  });
});

import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import { atLocalTime, localDateOf, resolveLocalMinutes, toLocal, zoneOffsetMinutes } from './zone.js';

const TOR = 'America/Toronto';
const LON = 'Europe/London';

describe('atLocalTime', () => {
  it('converts an ordinary local time with the offset in force', () => {
    expect(atLocalTime('2025-08-01', '19:00', TOR)).toBe(Date.UTC(2025, 7, 1, 23, 0));
    expect(atLocalTime('2025-01-15', '19:00', TOR)).toBe(Date.UTC(2025, 0, 16, 0, 0));
    expect(atLocalTime('2025-07-01', '09:30', LON)).toBe(Date.UTC(2025, 6, 1, 8, 30));
  });

  it('moves a nonexistent spring-forward time forward by the gap (compatible)', () => {
    // Toronto 2025-03-09: 02:00 EST jumps to 03:00 EDT (07:00Z).
    expect(resolveLocalMinutes('2025-03-09', 150, TOR).kind).toBe('nonexistent');
    expect(atLocalTime('2025-03-09', '02:30', TOR)).toBe(Date.UTC(2025, 2, 9, 7, 30)); // 03:30 EDT
    expect(atLocalTime('2025-03-09', '02:00', TOR)).toBe(Date.UTC(2025, 2, 9, 7, 0)); // 03:00 EDT
    expect(atLocalTime('2025-03-09', '02:30', TOR, 'earlier')).toBe(Date.UTC(2025, 2, 9, 6, 30)); // 01:30 EST
    // London 2025-03-30: 01:00 GMT jumps to 02:00 BST.
    expect(atLocalTime('2025-03-30', '01:15', LON)).toBe(Date.UTC(2025, 2, 30, 1, 15)); // 02:15 BST
  });

  it('takes the first occurrence of an ambiguous fall-back time (compatible)', () => {
    // Toronto 2025-11-02: 01:00–02:00 happens in EDT (05:xxZ) then again in EST (06:xxZ).
    const r = resolveLocalMinutes('2025-11-02', 90, TOR);
    expect(r.kind).toBe('ambiguous');
    expect(r.instants).toEqual([Date.UTC(2025, 10, 2, 5, 30), Date.UTC(2025, 10, 2, 6, 30)]);
    expect(atLocalTime('2025-11-02', '01:30', TOR)).toBe(Date.UTC(2025, 10, 2, 5, 30));
    expect(atLocalTime('2025-11-02', '01:30', TOR, 'later')).toBe(Date.UTC(2025, 10, 2, 6, 30));
    expect(atLocalTime('2025-10-26', '01:30', LON)).toBe(Date.UTC(2025, 9, 26, 0, 30)); // 01:30 BST
  });

  it("rejects gap and ambiguous times on request with 'reject'", () => {
    expect(() => atLocalTime('2025-03-09', '02:30', TOR, 'reject')).toThrow(/does not exist/);
    expect(() => atLocalTime('2025-11-02', '01:30', TOR, 'reject')).toThrow(/happens twice/);
    expect(atLocalTime('2025-11-02', '03:00', TOR, 'reject')).toBe(Date.UTC(2025, 10, 2, 8, 0));
  });

  it('rejects bad zones, dates and times with the field named', () => {
    expect(() => atLocalTime('2025-08-01', '19:00', 'Mars/Olympus')).toThrow(DomainInputError);
    expect(() => atLocalTime('2025-02-30', '19:00', TOR)).toThrow(/not a calendar date/);
    expect(() => atLocalTime('2025-08-01', '7pm', TOR)).toThrow(/HH:MM/);
    expect(() => atLocalTime('2025-08-01', '24:30', TOR)).toThrow(/not a valid time/);
  });
});

describe('toLocal / localDateOf', () => {
  it('reads the facility-local date, time and weekday of an instant', () => {
    // 2025-08-02 03:00Z is still Friday 23:00 in Toronto.
    expect(toLocal(Date.UTC(2025, 7, 2, 3, 0), TOR)).toEqual({
      date: '2025-08-01',
      minutes: 23 * 60,
      dayOfWeek: 5,
    });
    expect(localDateOf(Date.UTC(2025, 7, 2, 3, 0), LON)).toBe('2025-08-02');
  });

  it('reports the zone offset in minutes', () => {
    expect(zoneOffsetMinutes(TOR, Date.UTC(2025, 0, 1))).toBe(-300);
    expect(zoneOffsetMinutes(TOR, Date.UTC(2025, 6, 1))).toBe(-240);
  });
});

import fc from 'fast-check';
import { IANAZone } from 'luxon';
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

describe('zoneOffsetMinutes (remembered per 15-minute span)', () => {
  const exact = (zone: string, ms: number) => IANAZone.create(zone).offset(ms);

  it('answers exactly as the zone data at every minute around real transitions, in any call order', () => {
    const transitions: [string, string][] = [
      ['America/Toronto', '2025-03-09T07:00:00Z'], // EST → EDT
      ['America/Toronto', '2025-11-02T06:00:00Z'], // EDT → EST
      ['Australia/Lord_Howe', '2025-04-05T15:00:00Z'], // +11 → +10:30, a half-hour change
      ['Australia/Lord_Howe', '2025-10-04T15:30:00Z'], // +10:30 → +11
      ['Europe/London', '2025-03-30T01:00:00Z'],
      // Local mean time ended off any quarter hour (05:17:32Z): the one kind of span with a change inside.
      ['America/Toronto', '1895-01-01T05:17:32Z'],
    ];
    for (const [zone, at] of transitions) {
      const t = Date.parse(at);
      // Backwards first, so a span is remembered from a later instant before an earlier one is asked.
      for (let m = 40; m >= -40; m--) {
        for (const ms of [t + m * 60_000 - 1, t + m * 60_000, t + m * 60_000 + 1]) {
          expect(zoneOffsetMinutes(zone, ms), `${zone} ${new Date(ms).toISOString()}`).toBe(exact(zone, ms));
        }
      }
    }
  });

  it('agrees with the zone data at random instants of 2020–2030 in zones with odd offsets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'America/Toronto',
          'Asia/Kathmandu',
          'Australia/Lord_Howe',
          'America/St_Johns',
          'UTC',
        ),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (zone, ms) => zoneOffsetMinutes(zone, ms) === exact(zone, ms),
      ),
      { numRuns: 2000 },
    );
  });
});

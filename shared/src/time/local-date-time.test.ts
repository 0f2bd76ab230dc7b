import { describe, expect, it } from 'vitest';
import { addDays, dayName, dayOfWeek, parseLocalDate } from './local-date.js';
import { formatLocalTime, parseLocalTime } from './local-time.js';

describe('local dates', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });

  it('numbers weekdays 0 = Sunday … 6 = Saturday', () => {
    expect(dayOfWeek('2025-08-03')).toBe(0);
    expect(dayOfWeek('2025-08-01')).toBe(5);
    expect(dayOfWeek('1969-12-31')).toBe(3);
    expect(dayName(5)).toBe('Fri');
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => parseLocalDate('2025-8-1')).toThrow(/YYYY-MM-DD/);
    expect(() => parseLocalDate('2025-13-01')).toThrow(/calendar date/);
  });
});

describe('local times', () => {
  it("parses 'HH:MM' and PostgreSQL 'HH:MM:SS'", () => {
    expect(parseLocalTime('00:00')).toBe(0);
    expect(parseLocalTime('17:30')).toBe(1050);
    expect(parseLocalTime('17:30:00')).toBe(1050);
    expect(parseLocalTime('24:00')).toBe(1440);
    expect(formatLocalTime(1050)).toBe('17:30');
  });

  it('rejects out-of-range times with the field named', () => {
    expect(() => parseLocalTime('17:60', 'start_time')).toThrow(/^start_time: /);
    expect(() => parseLocalTime('17:30:15')).toThrow(/not a valid time/);
    expect(() => parseLocalTime('25:00')).toThrow(/not a valid time/);
  });
});

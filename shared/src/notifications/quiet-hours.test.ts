import { describe, expect, it } from 'vitest';
import { channelChoice, channelChoiceProblem, quietHoursOf, quietHoursProblem, quietUntil } from './index.js';

const zone = 'America/Toronto';
const night = { start: '21:00', end: '08:00' };

describe('SMS quiet hours', () => {
  it('a window over midnight: inside until the next 08:00 local, outside otherwise', () => {
    // 2026-01-15 02:30 UTC = 21:30 EST → until 2026-01-15 08:00 EST = 13:00 UTC.
    expect(quietUntil(Date.parse('2026-01-15T02:30:00Z'), zone, night)).toBe(
      Date.parse('2026-01-15T13:00:00Z'),
    );
    // 06:00 EST the same morning → the same end.
    expect(quietUntil(Date.parse('2026-01-15T11:00:00Z'), zone, night)).toBe(
      Date.parse('2026-01-15T13:00:00Z'),
    );
    expect(quietUntil(Date.parse('2026-01-15T13:00:00Z'), zone, night)).toBeUndefined();
    expect(quietUntil(Date.parse('2026-01-15T20:00:00Z'), zone, night)).toBeUndefined();
  });

  it('keeps local hours across spring-forward and fall-back', () => {
    // Night of 2026-03-07 → 03-08 (clocks go 02:00 → 03:00): 08:00 EDT is 12:00 UTC.
    expect(quietUntil(Date.parse('2026-03-08T03:00:00Z'), zone, night)).toBe(
      Date.parse('2026-03-08T12:00:00Z'),
    );
    // Night of 2026-10-31 → 11-01 (clocks go back): 08:00 EST is 13:00 UTC.
    expect(quietUntil(Date.parse('2026-11-01T02:00:00Z'), zone, night)).toBe(
      Date.parse('2026-11-01T13:00:00Z'),
    );
  });

  it('a same-day window, and no window at all', () => {
    const lunch = { start: '12:00', end: '13:00' };
    expect(quietUntil(Date.parse('2026-01-15T17:30:00Z'), zone, lunch)).toBe(
      Date.parse('2026-01-15T18:00:00Z'),
    );
    expect(quietUntil(Date.parse('2026-01-15T18:30:00Z'), zone, lunch)).toBeUndefined();
    expect(quietHoursOf({})).toBeUndefined();
    expect(quietHoursOf({ sms_quiet_hours: { start: '22:00', end: '22:00' } })).toBeUndefined();
    expect(quietHoursOf({ sms_quiet_hours: night })).toEqual(night);
  });

  it('names a malformed setting', () => {
    expect(quietHoursProblem({ start: '9pm', end: '08:00' })).toMatch(/sms_quiet_hours/);
    expect(quietHoursProblem('21-08')).toMatch(/sms_quiet_hours/);
    expect(quietHoursProblem(night)).toBeUndefined();
  });
});

describe('channel choices', () => {
  it('absent means yes; both off is refused', () => {
    expect(channelChoice({})).toEqual({ email: true, sms: true });
    expect(channelChoice({ notifications: { sms: false } })).toEqual({ email: true, sms: false });
    expect(channelChoiceProblem({ notifications: { email: false } })).toBeUndefined();
    expect(channelChoiceProblem({ notifications: { email: false, sms: false } })).toMatch(/door PIN/);
  });
});

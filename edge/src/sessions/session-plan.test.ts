import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_TIMINGS, planSessionSteps, type StepName } from './session-plan.js';

const MIN = 60_000;
const START = Date.UTC(2026, 5, 1, 18, 0);
const booking = (status = 'confirmed') => ({ start_time: START, end_time: START + 60 * MIN, status });
const plan = (now: number, recorded: [StepName, string][] = [], status = 'checked_in') =>
  planSessionSteps(booking(status), new Map(recorded), now, DEFAULT_SESSION_TIMINGS).map(
    (a) => `${a.step}:${a.action}`,
  );

describe('planSessionSteps', () => {
  it('runs each step at its time: prepare 10 min before, start, warn 5 min before end, end', () => {
    expect(plan(START - 11 * MIN)).toEqual([]);
    expect(plan(START - 10 * MIN)).toEqual(['prepare:run']);
    expect(plan(START, [['prepare', 'sent']])).toEqual(['start:run']);
    expect(
      plan(START + 54 * MIN, [
        ['prepare', 'sent'],
        ['start', 'sent'],
      ]),
    ).toEqual([]);
    expect(
      plan(START + 55 * MIN, [
        ['prepare', 'sent'],
        ['start', 'sent'],
      ]),
    ).toEqual(['warn:run']);
    expect(
      plan(START + 60 * MIN, [
        ['prepare', 'sent'],
        ['start', 'sent'],
        ['warn', 'sent'],
      ]),
    ).toEqual(['end:run']);
  });

  it('never repeats a recorded step, even when the clock goes back', () => {
    const all: [StepName, string][] = [
      ['prepare', 'sent'],
      ['start', 'sent'],
      ['warn', 'sent'],
      ['end', 'sent'],
    ];
    expect(plan(START + 61 * MIN, all)).toEqual([]);
    expect(plan(START - 10 * MIN, all)).toEqual([]);
  });

  it('runs missed steps in order after a jump into a running session', () => {
    expect(plan(START + 56 * MIN)).toEqual(['prepare:run', 'start:run', 'warn:run']);
  });

  it('skips stale steps after a jump past the end, and ends only a prepared bay', () => {
    expect(
      plan(START + 70 * MIN, [
        ['prepare', 'sent'],
        ['start', 'sent'],
      ]),
    ).toEqual(['warn:skip', 'end:run']);
    expect(plan(START + 70 * MIN)).toEqual(['prepare:skip', 'start:skip', 'warn:skip', 'end:skip']);
  });

  it('releases an unchecked booking after the grace period, and nothing else first', () => {
    expect(
      plan(
        START + 14 * MIN,
        [
          ['prepare', 'sent'],
          ['start', 'sent'],
        ],
        'confirmed',
      ),
    ).toEqual([]);
    expect(
      plan(
        START + 15 * MIN,
        [
          ['prepare', 'sent'],
          ['start', 'sent'],
        ],
        'confirmed',
      ),
    ).toEqual(['no_show:run']);
    expect(
      plan(
        START + 15 * MIN,
        [
          ['prepare', 'sent'],
          ['start', 'sent'],
        ],
        'checked_in',
      ),
    ).toEqual([]);
  });

  it('ends a prepared session early once the booking is cancelled or released', () => {
    expect(
      plan(
        START + 20 * MIN,
        [
          ['prepare', 'sent'],
          ['start', 'sent'],
          ['no_show', 'sent'],
        ],
        'no_show',
      ),
    ).toEqual(['end:run']);
    expect(plan(START - 5 * MIN, [['prepare', 'sent']], 'cancelled')).toEqual(['end:run']);
    expect(plan(START - 5 * MIN, [], 'cancelled')).toEqual([]);
  });
});

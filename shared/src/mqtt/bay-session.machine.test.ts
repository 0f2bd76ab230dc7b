import { describe, expect, it } from 'vitest';
import type { BayCommand } from './bay-command.schema.js';
import { applyBayCommand, type BaySession, finishCleanup, idleBaySession } from './bay-session.machine.js';

const at = '2026-11-25T18:00:00.000Z';
const ends = '2026-11-25T19:00:00.000Z';
const prepare = (id: string, booking = 'bk-1'): BayCommand => ({
  type: 'session.prepare',
  command_id: id,
  booking_id: booking,
  issued_at: at,
  starts_at: at,
  ends_at: ends,
  preferences: { climate: 'moderate' },
});
const start = (id: string, booking = 'bk-1'): BayCommand => ({
  type: 'session.start',
  command_id: id,
  booking_id: booking,
  issued_at: at,
  ends_at: ends,
});
const warn = (id: string, minutes: number, booking = 'bk-1'): BayCommand => ({
  type: 'session.warn',
  command_id: id,
  booking_id: booking,
  issued_at: at,
  minutes_left: minutes,
});
const end = (id: string, booking = 'bk-1'): BayCommand => ({
  type: 'session.end',
  command_id: id,
  booking_id: booking,
  issued_at: at,
});

function run(commands: BayCommand[], from: BaySession = idleBaySession()): BaySession {
  return commands.reduce((s, c) => applyBayCommand(s, c).session, from);
}

describe('applyBayCommand', () => {
  it('follows prepare → start → warn → end → cleanup → idle', () => {
    let s = run([prepare('c1')]);
    expect(s).toMatchObject({ status: 'preparing', booking_id: 'bk-1', last_command_id: 'c1' });
    s = run([start('c2')], s);
    expect(s).toMatchObject({ status: 'in_session', last_command_id: 'c2', ends_at: ends });
    s = run([warn('c3', 10)], s);
    expect(s).toMatchObject({ status: 'in_session', minutes_left: 10, last_command_id: 'c3' });
    s = run([end('c4')], s);
    expect(s).toMatchObject({ status: 'cleanup', booking_id: 'bk-1', last_command_id: 'c4' });
    s = finishCleanup(s);
    expect(s).toMatchObject({ status: 'idle', booking_id: null, last_command_id: 'c4', reason: null });
  });

  it('treats a redelivered command as a duplicate that changes nothing', () => {
    const s = run([prepare('c1'), start('c2')]);
    const again = applyBayCommand(s, start('c2'));
    expect(again.outcome).toBe('duplicate');
    expect(again.session).toBe(s);
    // Even a redelivered *earlier* command that is still the last applied one is ignored.
    expect(applyBayCommand(run([prepare('c1')]), prepare('c1')).outcome).toBe('duplicate');
  });

  it('rejects start before prepare into error with a reason, keeping the last applied id', () => {
    const r = applyBayCommand(idleBaySession(), start('c9'));
    expect(r.outcome).toBe('rejected');
    expect(r.session).toMatchObject({
      status: 'error',
      last_command_id: null,
      rejected_command_id: 'c9',
      reason: 'session.start for booking bk-1 while idle',
    });
  });

  it('rejects a command for another booking while a session runs', () => {
    const r = applyBayCommand(run([prepare('c1'), start('c2')]), warn('c3', 5, 'bk-2'));
    expect(r.outcome).toBe('rejected');
    expect(r.session.reason).toBe('session.warn for booking bk-2 while in_session for booking bk-1');
    expect(applyBayCommand(run([prepare('c1'), start('c2')]), prepare('c3', 'bk-2')).outcome).toBe(
      'rejected',
    );
  });

  it('rejects warn before start and end while idle', () => {
    expect(applyBayCommand(run([prepare('c1')]), warn('c2', 5)).outcome).toBe('rejected');
    expect(applyBayCommand(idleBaySession(), end('c1')).outcome).toBe('rejected');
  });

  it('recovers from error by end or by a new prepare', () => {
    const broken = run([start('c1')]);
    expect(broken.status).toBe('error');
    expect(applyBayCommand(broken, end('c2'))).toMatchObject({
      outcome: 'applied',
      session: { status: 'cleanup', reason: null, booking_id: 'bk-1' },
    });
    expect(applyBayCommand(broken, prepare('c3', 'bk-7')).session).toMatchObject({
      status: 'preparing',
      booking_id: 'bk-7',
      reason: null,
    });
  });

  it('accepts back-to-back bookings: prepare the next one during cleanup', () => {
    const s = run([prepare('c1'), start('c2'), end('c3'), prepare('c4', 'bk-2')]);
    expect(s).toMatchObject({ status: 'preparing', booking_id: 'bk-2' });
  });

  it('ends a session that never started (cancelled while preparing)', () => {
    expect(run([prepare('c1'), end('c2')]).status).toBe('cleanup');
  });

  it('finishCleanup leaves other states alone', () => {
    const s = run([prepare('c1')]);
    expect(finishCleanup(s)).toBe(s);
  });
});

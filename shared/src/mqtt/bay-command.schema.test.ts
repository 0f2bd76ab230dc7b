import { describe, expect, it } from 'vitest';
import { decodeBayCommand } from './bay-command.schema.js';
import { decodeBayPresence, decodeBayState } from './bay-state.schema.js';
import { decodeDoorScan, decodeDoorScanResult } from './door-scan.schema.js';

const prepare = {
  type: 'session.prepare',
  command_id: 'c1',
  booking_id: 'bk-1',
  issued_at: '2026-11-25T18:00:00.000Z',
  starts_at: '2026-11-25T18:00:00.000Z',
  ends_at: '2026-11-25T19:00:00Z',
  preferences: { equipment: ['driver', 'irons'], climate: 'moderate' },
};

describe('decodeBayCommand', () => {
  it('accepts a well-formed command from bytes', () => {
    const r = decodeBayCommand(new TextEncoder().encode(JSON.stringify(prepare)));
    expect(r).toEqual({ ok: true, value: prepare });
  });

  it('names the field that is wrong, for the command type actually sent', () => {
    const r = decodeBayCommand(
      JSON.stringify({
        type: 'session.warn',
        command_id: 'c',
        booking_id: 'b',
        issued_at: prepare.issued_at,
      }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^bay command session\.warn: .*minutes_left/);
    const neg = decodeBayCommand(JSON.stringify({ ...prepare, type: 'session.warn', minutes_left: -1 }));
    expect(neg.ok).toBe(false);
    if (!neg.ok) expect(neg.error).toContain('/minutes_left');
  });

  it('rejects unknown types, non-JSON and local (non-UTC) times', () => {
    const unknown = decodeBayCommand(JSON.stringify({ ...prepare, type: 'session.reboot' }));
    expect(unknown).toEqual({
      ok: false,
      error:
        'bay command: /type "session.reboot" is not one of session.prepare, session.start, session.warn, session.end',
    });
    expect(decodeBayCommand('{not json')).toEqual({
      ok: false,
      error: 'bay command: payload is not valid JSON',
    });
    const local = decodeBayCommand(JSON.stringify({ ...prepare, starts_at: '2026-11-25T13:00:00-05:00' }));
    expect(local.ok).toBe(false);
    if (!local.ok) expect(local.error).toContain('/starts_at');
  });
});

describe('state, presence and scan payloads', () => {
  it('decode a state and refuse an unknown status', () => {
    const state = {
      bay_id: '3',
      status: 'in_session',
      booking_id: 'bk-1',
      last_command_id: 'c2',
      rejected_command_id: null,
      reason: null,
      minutes_left: null,
      ends_at: null,
      updated_at: '2026-11-25T18:00:00.000Z',
    };
    expect(decodeBayState(JSON.stringify(state))).toEqual({ ok: true, value: state });
    const bad = decodeBayState(JSON.stringify({ ...state, status: 'sleeping' }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain('/status');
  });

  it('presence is the bare word online or offline', () => {
    expect(decodeBayPresence(new TextEncoder().encode('offline'))).toEqual({ ok: true, value: 'offline' });
    expect(decodeBayPresence('"online"').ok).toBe(false);
  });

  it('scan and scan result', () => {
    const scan = { scan_id: 's1', scanner_id: 'sc', text: 'QR', scanned_at: '2026-11-25T18:00:00.000Z' };
    expect(decodeDoorScan(JSON.stringify(scan))).toEqual({ ok: true, value: scan });
    expect(decodeDoorScan(JSON.stringify({ ...scan, text: '' })).ok).toBe(false);
    const result = {
      scan_id: 's1',
      decision: 'denied',
      reason: 'expired',
      booking_id: null,
      decided_at: '2026-11-25T18:00:01.000Z',
    };
    expect(decodeDoorScanResult(JSON.stringify(result))).toEqual({ ok: true, value: result });
    expect(decodeDoorScanResult(JSON.stringify({ ...result, decision: 'maybe' })).ok).toBe(false);
  });
});

/**
 * What the kiosk needs to know, from the page address (the Electron main process builds it from the
 * validated config file): the edge's base URL (empty = same origin, as when the edge serves the
 * page to Electron), the per-kiosk device key (empty under Electron, which adds it as a header; a
 * plain browser passes `key`), the idle reset in seconds, the status poll and the scanner's
 * keystroke gap.
 */
export interface KioskSettings {
  edgeUrl: string;
  deviceKey: string;
  idleSeconds: number;
  statusPollMs: number;
  /** Longest pause between a scanner's keystrokes (ms); slower typing is a person, not a scan. */
  wedgeGapMs: number;
}

export function readSettings(search: string): KioskSettings {
  const q = new URLSearchParams(search);
  const idle = Number(q.get('idle') ?? '60');
  const poll = Number(q.get('poll') ?? '5000');
  const gap = Number(q.get('wedgeGap') ?? '100');
  return {
    edgeUrl: (q.get('edge') ?? '').replace(/\/+$/, ''),
    deviceKey: q.get('key') ?? '',
    idleSeconds: Number.isFinite(idle) && idle >= 1 ? idle : 60,
    statusPollMs: Number.isFinite(poll) && poll >= 200 ? poll : 5000,
    wedgeGapMs: Number.isFinite(gap) && gap >= 10 ? gap : 100,
  };
}

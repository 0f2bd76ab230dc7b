/**
 * A keyboard-wedge scanner "types" its payload quickly and ends with Enter. This buffer turns key
 * presses into scans: characters more than `gapMs` apart start a new buffer (a person tapping keys
 * is not a scan), and Enter yields the buffer when it is at least `minLength` long.
 */
export interface WedgeBuffer {
  /** Feed one key (KeyboardEvent.key) at time `at` (ms); returns the scanned text on Enter. */
  push(key: string, at: number): string | null;
}

export function createWedgeBuffer(options: { gapMs?: number; minLength?: number } = {}): WedgeBuffer {
  const gapMs = options.gapMs ?? 100;
  const minLength = options.minLength ?? 6;
  let text = '';
  let last = Number.NEGATIVE_INFINITY;
  return {
    push(key, at) {
      if (at - last > gapMs) text = '';
      last = at;
      if (key === 'Enter') {
        const scanned = text;
        text = '';
        return scanned.length >= minLength ? scanned : null;
      }
      if (key.length === 1) text += key;
      return null;
    },
  };
}

/** A scan is a booking code when it reads as one (6 symbols, dashes/spaces forgiven), else a QR token. */
export function classifyScan(text: string): { code: string } | { qr: string } {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  return /^[2-9A-HJ-NP-Z]{6}$/.test(compact) ? { code: compact } : { qr: text.trim() };
}

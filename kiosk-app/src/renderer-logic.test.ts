import { BOOKING_CODE_ALPHABET as SHARED_ALPHABET } from '@clubos/shared/credentials';
import { describe, expect, it } from 'vitest';
import { BOOKING_CODE_ALPHABET } from '../renderer/code-alphabet.js';
import { doorQrImage, spacedPin } from '../renderer/door-qr.js';
import { readSettings } from '../renderer/settings.js';
import { classifyScan, createWedgeBuffer } from '../renderer/wedge-buffer.js';

describe('keyboard-wedge buffer', () => {
  it('yields a fast burst ending in Enter, and ignores slow typing and short bursts', () => {
    const w = createWedgeBuffer({ gapMs: 50, minLength: 6 });
    let t = 0;
    const burst = (text: string, step: number) => {
      let out: string | null = null;
      for (const ch of [...text, 'Enter']) {
        t += step;
        out = w.push(ch, t);
      }
      return out;
    };
    expect(burst('eyJ.token-ABC', 5)).toBe('eyJ.token-ABC');
    expect(burst('ABCDEFG', 200)).toBeNull();
    expect(burst('ABC', 5)).toBeNull();
    // Modifier keys do not end up in the scan.
    t += 5;
    expect(w.push('Shift', t)).toBeNull();
    expect(burst('QWERTY', 5)).toBe('QWERTY');
  });

  it('tells a booking code from a QR token', () => {
    expect(classifyScan('grm-pyp')).toEqual({ code: 'GRMPYP' });
    expect(classifyScan('v1.abc.def')).toEqual({ qr: 'v1.abc.def' });
    expect(classifyScan('ABC10O')).toEqual({ qr: 'ABC10O' });
  });
});

describe('renderer settings', () => {
  it('reads the page address with safe defaults', () => {
    expect(readSettings('?edge=http://edge:8080/&key=k&idle=30')).toMatchObject({
      edgeUrl: 'http://edge:8080',
      deviceKey: 'k',
      idleSeconds: 30,
    });
    expect(readSettings('?idle=abc&poll=1')).toMatchObject({
      edgeUrl: '',
      idleSeconds: 60,
      statusPollMs: 5000,
    });
  });

  it('offers exactly the booking-code symbols on the keypad', () => {
    expect(BOOKING_CODE_ALPHABET).toBe(SHARED_ALPHABET);
  });
});

describe('door pass', () => {
  it('groups the PIN in threes for reading off the screen, keeping leading zeros', () => {
    expect(spacedPin('004219')).toBe('004 219');
    expect(spacedPin('12345')).toBe('12345');
  });

  it('draws the door token as an SVG QR image', async () => {
    const image = await doorQrImage('CB1.payload.signature');
    expect(image.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(image)).toMatch(/<svg[^>]*viewBox/);
    expect(await doorQrImage('CB1.other.signature')).not.toBe(image);
  });
});

import { useState } from 'react';
import { BOOKING_CODE_ALPHABET } from './code-alphabet.js';

/** Self check-in: scan the QR anywhere on this screen, or tap the booking code on the keypad. */
export function CheckInScreen({
  busy,
  error,
  onCode,
}: {
  busy: boolean;
  error: string | null;
  onCode: (code: string) => void;
}) {
  const [code, setCode] = useState('');
  const press = (ch: string) => setCode((c) => (c.length < 6 ? c + ch : c));
  return (
    <section className="screen" aria-labelledby="checkin-title">
      <h1 id="checkin-title">Check in</h1>
      <p className="lead">Hold your QR code under the scanner, or type your booking code.</p>
      <output className="code-entry" aria-label="Booking code typed" data-testid="code-entry">
        {code.padEnd(6, '·')}
      </output>
      {error ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : null}
      <fieldset className="keypad" aria-label="Keypad">
        {[...BOOKING_CODE_ALPHABET].map((ch) => (
          <button type="button" key={ch} onClick={() => press(ch)} aria-label={`Key ${ch}`}>
            {ch}
          </button>
        ))}
        <button type="button" className="key-wide" onClick={() => setCode((c) => c.slice(0, -1))}>
          ⌫ Delete
        </button>
        <button
          type="button"
          className="primary key-wide"
          disabled={code.length !== 6 || busy}
          onClick={() => onCode(code)}
        >
          Check in
        </button>
      </fieldset>
    </section>
  );
}

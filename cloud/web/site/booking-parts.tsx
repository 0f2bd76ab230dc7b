import type { Booking } from '@clubos/shared/api';
import { useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import { money } from '../shared-ui/format.js';

/** The door PIN and booking code, as every page that lets a customer in shows them. */
export function DoorCodes({ booking }: { booking: Pick<Booking, 'access_code' | 'reference_code'> }) {
  return (
    <dl className="codes">
      <div>
        <dt>Door PIN</dt>
        <dd data-testid="pin" className="pin">
          {booking.access_code ?? '—'}
        </dd>
      </div>
      <div>
        <dt>Booking code</dt>
        <dd data-testid="reference-code" className="ref">
          {booking.reference_code}
        </dd>
      </div>
    </dl>
  );
}

export interface RefundPreview {
  refund_cents: number;
  refund_percent: number;
  explanation: string;
  /** `card`: refunded to the card it was paid with (its share of what was paid); else at the venue. */
  via?: 'card' | 'venue';
}

/**
 * Cancel with the refund shown before the button that does it. `cancel` performs the request and
 * returns the refund actually given; the sentence reported to `onDone` names it.
 */
export function RefundConfirm({
  booking,
  preview,
  cancel,
  onDone,
}: {
  booking: Pick<Booking, 'reference_code' | 'price_cents'>;
  preview: RefundPreview;
  cancel: () => Promise<{ refund_cents: number }>;
  onDone: (message: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await cancel();
      onDone(`Booking ${booking.reference_code} is cancelled. Refund: ${money(result.refund_cents)}.`);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <fieldset className="inline-panel stack">
      <legend className="sr-only">Cancel booking {booking.reference_code}</legend>
      <p>
        <strong data-testid="refund-preview">
          {preview.via === 'card'
            ? `Refund to your card if you cancel now: ${money(preview.refund_cents)} (${preview.refund_percent}% of what you paid)`
            : `Refund if you cancel now: ${money(preview.refund_cents)} of ${money(booking.price_cents)} (${preview.refund_percent}%)`}
        </strong>
        <br />
        <span className="muted">{preview.explanation}</span>
      </p>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <div className="row">
        <button type="button" className="btn danger small" onClick={confirm} disabled={busy}>
          {busy ? 'Cancelling…' : `Cancel and refund ${money(preview.refund_cents)}`}
        </button>
      </div>
    </fieldset>
  );
}

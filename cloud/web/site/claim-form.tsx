import type { ClaimBookingResponse } from '@clubos/shared/api';
import { type FormEvent, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import { Field } from '../shared-ui/ui.js';
import { session } from './site-api.js';

/**
 * "Add a booking made as a guest": the booking code and door PIN from its confirmation prove it
 * is yours (an account never picks up guest bookings by email alone).
 */
export function ClaimForm({ onClaimed }: { onClaimed: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const res = await session.authed<ClaimBookingResponse>('/customers/me/claim', {
        method: 'POST',
        body: {
          reference_code: String(form.get('code') ?? '').trim(),
          pin: String(form.get('pin') ?? '').trim(),
        },
      });
      const codes = res.claimed.map((b) => b.reference_code).join(', ');
      setNotice(`Added to your account: ${codes}.`);
      formElement.reset();
      onClaimed();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="claim-heading">
      <h2 id="claim-heading">Add a booking made as a guest</h2>
      <p className="muted">Enter the booking code and door PIN from its confirmation.</p>
      <form className="row" onSubmit={submit} aria-label="Add a booking made as a guest">
        <Field label="Booking code">
          <input name="code" autoComplete="off" required maxLength={32} />
        </Field>
        <Field label="Door PIN">
          <input name="pin" inputMode="numeric" pattern="\d{6}" autoComplete="off" required />
        </Field>
        <button type="submit" className="btn secondary" disabled={busy}>
          {busy ? 'Adding…' : 'Add booking'}
        </button>
      </form>
      <div aria-live="polite">{notice && <div className="alert ok">{notice}</div>}</div>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
    </section>
  );
}

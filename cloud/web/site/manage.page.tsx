import type { ManagedBooking } from '@clubos/shared/api';
import { type FormEvent, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import { Link } from '../shared-ui/router.js';
import { Field } from '../shared-ui/ui.js';
import { fetchManaged, lookupBooking } from './guest-api.js';
import { ManagedBookingCard } from './managed-booking.js';

interface Found {
  view: ManagedBooking;
  token: string;
}

/** `?code=AB3K7Z` (the confirmation page's link) fills in the booking code. */
const codeFromUrl = () => new URLSearchParams(window.location.search).get('code') ?? '';

/**
 * "Manage a booking" without an account: the booking code with the email it was made with (or
 * the door PIN) shows the booking, its door codes, and lets the guest cancel or move it.
 */
export function ManagePage() {
  const [proof, setProof] = useState<'email' | 'pin'>('email');
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const code = String(form.get('code') ?? '').trim();
    const secret = String(form.get('secret') ?? '').trim();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const res = await lookupBooking(
        proof === 'email' ? { reference_code: code, email: secret } : { reference_code: code, pin: secret },
      );
      setFound({ view: res, token: res.manage_token });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const changed = async (message: string) => {
    setNotice(message);
    if (!found) return;
    try {
      setFound({ ...found, view: await fetchManaged(found.view.booking.id, found.token) });
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Manage a booking</h1>
      <p className="lede">
        No account needed: enter the booking code from your confirmation and the email you booked with. Signed
        in? Your bookings are under <Link to="/account">My bookings</Link>.
      </p>
      <div className="stack">
        {!found && (
          <form className="card narrow stack" onSubmit={submit} aria-label="Find your booking">
            <Field label="Booking code" hint="6 letters and digits, like AB3K7Z">
              <input name="code" defaultValue={codeFromUrl()} autoComplete="off" required maxLength={32} />
            </Field>
            {proof === 'email' ? (
              <Field label="Email you booked with">
                <input name="secret" type="email" autoComplete="email" required />
              </Field>
            ) : (
              <Field label="Door PIN" hint="The six digits on your confirmation">
                <input name="secret" inputMode="numeric" pattern="\d{6}" autoComplete="off" required />
              </Field>
            )}
            <button
              type="button"
              className="btn ghost small"
              onClick={() => setProof(proof === 'email' ? 'pin' : 'email')}
            >
              {proof === 'email' ? 'Use the door PIN instead' : 'Use your email instead'}
            </button>
            {error && (
              <div className="alert error" role="alert">
                {error}
              </div>
            )}
            <button type="submit" className="btn" disabled={busy}>
              {busy ? 'Looking…' : 'Find my booking'}
            </button>
          </form>
        )}
        <div aria-live="polite">{notice && <div className="alert ok">{notice}</div>}</div>
        {found && (
          <>
            {error && (
              <div className="alert error" role="alert">
                {error}
              </div>
            )}
            <ManagedBookingCard view={found.view} token={found.token} onChanged={changed} />
            <button
              type="button"
              className="btn ghost"
              onClick={() => {
                setFound(null);
                setNotice(null);
              }}
            >
              Look up another booking
            </button>
          </>
        )}
      </div>
    </>
  );
}

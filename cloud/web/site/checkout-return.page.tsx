import type { CheckoutReturn } from '@clubos/shared/api/payments.schemas';
import { useEffect, useState } from 'react';
import { api, errorText } from '../shared-ui/api.js';
import { dateTimeIn, timeIn } from '../shared-ui/format.js';
import { Link, navigate } from '../shared-ui/router.js';
import { ErrorNotice, Loading } from '../shared-ui/ui.js';
import { rememberBooking } from './confirmation.page.js';
import type { Venue } from './site-api.js';

const bayKey = (id: string) => `clubos.site.checkout.${id}`;

/** Before leaving for the payment page: the bay's name, for the confirmation after it. */
export function rememberCheckout(bookingId: string, bayName: string): void {
  sessionStorage.setItem(bayKey(bookingId), bayName);
}

/**
 * Back from Stripe's hosted page: with `session_id` (paid, or so Stripe says) the cloud checks the
 * payment and confirms the booking; with `booking_id` (the page's Back link) it says where the hold
 * stands. Confirmed goes on to the confirmation with QR and PIN; anything else is said in words.
 */
export function CheckoutReturnPage({ venue }: { venue: Venue }) {
  const [answer, setAnswer] = useState<CheckoutReturn | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    setError(null);
    const params = new URLSearchParams(window.location.search);
    const query = {
      ...(params.get('session_id') ? { session_id: params.get('session_id') ?? '' } : {}),
      ...(params.get('booking_id') ? { booking_id: params.get('booking_id') ?? '' } : {}),
    };
    api<CheckoutReturn>('/payments/checkout/return', { query })
      .then((back) => {
        if (back.state === 'confirmed' && back.booking) {
          const bayName = sessionStorage.getItem(bayKey(back.booking_id)) ?? 'Your bay';
          rememberBooking(back.booking, bayName);
          navigate(`/confirmation/${back.booking_id}`);
          return;
        }
        setAnswer(back);
      })
      .catch((e) => setError(errorText(e)));
  };
  useEffect(load, []);

  if (error) return <ErrorNotice title="We could not check your payment" message={error} onRetry={load} />;
  if (!answer) return <Loading label="Checking your payment…" />;
  const booking = answer.booking;
  const waiting = answer.state === 'awaiting_payment';
  return (
    <div className="card stack checkout-return" data-testid="checkout-return" data-state={answer.state}>
      <h1 tabIndex={-1}>{waiting ? 'Not paid yet' : 'This booking did not go through'}</h1>
      {booking && (
        <p className="muted">
          {dateTimeIn(booking.start_time, venue.timezone)} – {timeIn(booking.end_time, venue.timezone)}
        </p>
      )}
      <div className={`alert ${waiting ? 'warn' : 'error'}`} role="alert">
        <strong>{waiting ? 'Your time is still held for you.' : 'Sorry.'}</strong>
        {waiting && answer.hold_expires_at
          ? `Your payment has not gone through, and nothing was charged. You have until ${timeIn(answer.hold_expires_at, venue.timezone)} to pay.`
          : answer.message}
      </div>
      <div className="row">
        {waiting && answer.checkout_url && (
          <a className="btn" href={answer.checkout_url}>
            Pay now
          </a>
        )}
        {waiting && !answer.checkout_url && (
          <button type="button" className="btn" onClick={load}>
            Check again
          </button>
        )}
        <Link to="/" className="btn secondary">
          Choose another time
        </Link>
      </div>
    </div>
  );
}

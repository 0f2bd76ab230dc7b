import type { Booking } from '@clubos/shared/api';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import { dateTimeIn, minutesLabel, money, timeIn } from '../shared-ui/format.js';
import { Link } from '../shared-ui/router.js';
import { ErrorNotice, Loading } from '../shared-ui/ui.js';
import { DoorCodes } from './booking-parts.js';
import { session, type Venue } from './site-api.js';

interface Remembered {
  booking: Booking;
  bay_name: string;
}

const key = (id: string) => `clubos.site.booking.${id}`;

/**
 * The QR token is only returned when the booking is made, so the confirmation keeps it in this
 * tab's session storage: a reload still shows the code, and it never outlives the tab.
 */
export function rememberBooking(booking: Booking, bayName: string): void {
  sessionStorage.setItem(
    key(booking.id),
    JSON.stringify({ booking, bay_name: bayName } satisfies Remembered),
  );
}

function recall(id: string): Remembered | null {
  try {
    const raw = sessionStorage.getItem(key(id));
    return raw ? (JSON.parse(raw) as Remembered) : null;
  } catch {
    return null;
  }
}

export function ConfirmationPage({ id, venue }: { id: string; venue: Venue }) {
  const [state, setState] = useState<Remembered | null>(() => recall(id));
  const [error, setError] = useState<string | null>(null);
  const [qr, setQr] = useState<string | null>(null);

  useEffect(() => {
    if (state) return;
    session
      .authed<Booking>(`/bookings/${id}`)
      .then((booking) => setState({ booking, bay_name: 'Your bay' }))
      .catch((e) => setError(errorText(e)));
  }, [id, state]);

  const token = state?.booking.qr_code ?? null;
  useEffect(() => {
    if (!token) return;
    QRCode.toDataURL(token, { margin: 1, width: 240, errorCorrectionLevel: 'M', color: { dark: '#1c2321' } })
      .then(setQr)
      .catch(() => setQr(null));
  }, [token]);

  if (error) {
    return (
      <ErrorNotice
        title="We could not show this booking"
        message={`${error} Sign in with the email you booked with to see your bookings.`}
      />
    );
  }
  if (!state) return <Loading label="Loading your booking…" />;
  const { booking, bay_name } = state;
  return (
    <div className="confirmation stack">
      <div className="alert ok" role="status">
        <strong>You’re booked!</strong>Keep this page or take a screenshot: the QR code is shown only here.
        The PIN opens the doors too.
      </div>
      <h1 tabIndex={-1}>
        {bay_name}, {dateTimeIn(booking.start_time, venue.timezone)}
      </h1>
      <div className="grid-2">
        <div className="card stack">
          <h2>Getting in</h2>
          <p>Show this code at the door scanner, or type your PIN on the keypad.</p>
          {qr ? (
            <img
              className="qr"
              src={qr}
              alt={`Door QR code for booking ${booking.reference_code}`}
              width={240}
              height={240}
            />
          ) : token ? (
            <Loading label="Drawing your QR code…" />
          ) : (
            <p className="muted">
              The QR code is shown once, right after booking. Use your PIN or booking code.
            </p>
          )}
          <DoorCodes booking={booking} />
        </div>
        <div className="card stack">
          <h2>Details</h2>
          <dl className="details">
            <div>
              <dt>When</dt>
              <dd>
                {dateTimeIn(booking.start_time, venue.timezone)} – {timeIn(booking.end_time, venue.timezone)}{' '}
                ({minutesLabel(booking.duration)})
              </dd>
            </div>
            <div>
              <dt>Where</dt>
              <dd>
                {venue.name}
                {venue.address ? `, ${venue.address}` : ''}
              </dd>
            </div>
            <div>
              <dt>Price</dt>
              <dd>{money(booking.price_cents)}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>{booking.status}</dd>
            </div>
          </dl>
          <p className="muted">
            Free cancellation up to {venue.cancellation_policy.free_until_hours} h before the start.{' '}
            <Link to={`/manage?code=${booking.reference_code}`}>Manage this booking</Link> (cancel or move it,
            no account needed)
            {session.get() && (
              <>
                {' '}
                or see <Link to="/account">all your bookings</Link>
              </>
            )}
            .
          </p>
          <Link to="/" className="btn secondary">
            Book another time
          </Link>
        </div>
      </div>
    </div>
  );
}

import type { Booking } from '@clubos/shared/api';
import { useCallback, useEffect, useState } from 'react';
import { errorText, newIdempotencyKey } from '../shared-ui/api.js';
import { dateTimeIn, minutesLabel, money, timeIn } from '../shared-ui/format.js';
import { Link } from '../shared-ui/router.js';
import { ErrorNotice, Loading, StatusBadge } from '../shared-ui/ui.js';
import { RefundConfirm, type RefundPreview } from './booking-parts.js';
import { type ReceiptItem, ReceiptsPanel } from './receipts-panel.js';
import { RescheduleForm } from './reschedule-form.js';
import { fetchAvailability, session, type Venue } from './site-api.js';

interface CancelResult {
  booking: Booking;
  refund_cents: number;
  policy: { explanation: string };
}

/**
 * Cancel with the refund shown first, as the server will give it: the policy's share of what was
 * paid online (to the card), or of the price when it is settled at the venue.
 */
function CancelPanel({ booking, onDone }: { booking: Booking; onDone: (message: string) => void }) {
  const [preview, setPreview] = useState<RefundPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    session
      .authed<RefundPreview>(`/bookings/${booking.id}/cancellation-preview`)
      .then(setPreview)
      .catch((e) => setError(errorText(e)));
  }, [booking.id]);
  if (error) return <ErrorNotice title="The refund could not be worked out" message={error} />;
  if (!preview) return <Loading label="Working out your refund…" />;
  return (
    <RefundConfirm
      booking={booking}
      preview={preview}
      cancel={() =>
        session.authed<CancelResult>(`/bookings/${booking.id}/cancel`, {
          method: 'POST',
          idempotencyKey: newIdempotencyKey(),
          body: { reason: 'cancelled by customer online' },
        })
      }
      onDone={onDone}
    />
  );
}

/** The signed-in customer's receipts of one booking. */
function BookingReceipts({ bookingId }: { bookingId: string }) {
  const load = useCallback(
    () => session.authed<{ receipts: ReceiptItem[] }>(`/bookings/${bookingId}/receipts`),
    [bookingId],
  );
  const headers = useCallback((): Record<string, string> => {
    const token = session.get()?.access_token;
    return token ? { authorization: `Bearer ${token}` } : {};
  }, []);
  return <ReceiptsPanel load={load} headers={headers} />;
}

export function MyBookings({ venue }: { venue: Venue }) {
  const [bookings, setBookings] = useState<Booking[] | null>(null);
  const [bayNames, setBayNames] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<{ id: string; action: 'cancel' | 'reschedule' | 'receipts' } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    session
      .authed<{ bookings: Booking[] }>('/bookings', {
        query: { from: new Date(Date.now() - 3_600_000).toISOString() },
      })
      .then((r) =>
        setBookings(
          r.bookings
            .filter((b) => b.status !== 'pending' || !b.hold_expires_at)
            .sort((a, b) => a.start_time.localeCompare(b.start_time)),
        ),
      )
      .catch((e) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    fetchAvailability(venue.id, new Date().toISOString().slice(0, 10), 60)
      .then((a) => setBayNames(Object.fromEntries(a.simulators.map((s) => [s.simulator_id, s.name]))))
      .catch(() => setBayNames({}));
  }, [venue.id]);

  const done = (message: string) => {
    setOpen(null);
    setNotice(message);
    load();
  };

  return (
    <section className="card stack" aria-labelledby="bookings-heading">
      <h2 id="bookings-heading">Upcoming</h2>
      <div aria-live="polite">{notice && <div className="alert ok">{notice}</div>}</div>
      {error && <ErrorNotice title="Your bookings could not be loaded" message={error} onRetry={load} />}
      {!bookings && !error && <Loading label="Loading your bookings…" />}
      {bookings?.length === 0 && (
        <p className="empty">
          No upcoming bookings. <Link to="/">Book a bay</Link>
        </p>
      )}
      <ul className="list">
        {bookings?.map((b) => {
          const active = b.status === 'confirmed' || b.status === 'pending';
          return (
            <li key={b.id} className="list-item booking-item" data-booking={b.id}>
              <div className="list-main">
                <div>
                  <strong>{bayNames[b.simulator_id] ?? 'Bay'}</strong> ·{' '}
                  {dateTimeIn(b.start_time, venue.timezone)} – {timeIn(b.end_time, venue.timezone)}{' '}
                  <StatusBadge status={b.status} />
                </div>
                <div className="muted">
                  {minutesLabel(b.duration)} · {money(b.price_cents)} · code {b.reference_code}
                  {b.status === 'cancelled' &&
                    b.refund_cents !== null &&
                    ` · refunded ${money(b.refund_cents)}`}
                </div>
              </div>
              {active && (
                <div className="row">
                  <button
                    type="button"
                    className="btn small secondary"
                    aria-expanded={open?.id === b.id && open.action === 'reschedule'}
                    onClick={() =>
                      setOpen(
                        open?.id === b.id && open.action === 'reschedule'
                          ? null
                          : { id: b.id, action: 'reschedule' },
                      )
                    }
                  >
                    Reschedule
                  </button>
                  <button
                    type="button"
                    className="btn small secondary"
                    aria-expanded={open?.id === b.id && open.action === 'cancel'}
                    onClick={() =>
                      setOpen(
                        open?.id === b.id && open.action === 'cancel' ? null : { id: b.id, action: 'cancel' },
                      )
                    }
                  >
                    Cancel…
                  </button>
                </div>
              )}
              <div className="row">
                <button
                  type="button"
                  className="btn small secondary"
                  aria-expanded={open?.id === b.id && open.action === 'receipts'}
                  onClick={() =>
                    setOpen(
                      open?.id === b.id && open.action === 'receipts'
                        ? null
                        : { id: b.id, action: 'receipts' },
                    )
                  }
                >
                  Receipts
                </button>
              </div>
              {open?.id === b.id && open.action === 'receipts' && <BookingReceipts bookingId={b.id} />}
              {open?.id === b.id && open.action === 'cancel' && <CancelPanel booking={b} onDone={done} />}
              {open?.id === b.id && open.action === 'reschedule' && (
                <RescheduleForm booking={b} venue={venue} onDone={done} />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

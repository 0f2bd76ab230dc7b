import type { AvailabilityResponse, Booking } from '@clubos/shared/api';
import { useEffect, useState } from 'react';
import { errorText, newIdempotencyKey } from '../shared-ui/api.js';
import { dateTimeIn, money, timeIn, todayIn } from '../shared-ui/format.js';
import { Field, Loading } from '../shared-ui/ui.js';
import { fetchAvailability, session, type Venue } from './site-api.js';

const moveAsMember = (booking: Booking, start: string) =>
  session.authed<Booking>(`/bookings/${booking.id}/reschedule`, {
    method: 'POST',
    idempotencyKey: newIdempotencyKey(),
    body: { start_time: start },
  });

/**
 * Move a booking to another free time of the same bay and length: as the signed-in member, or
 * with `move` (a guest's manage token).
 */
export function RescheduleForm({
  booking,
  venue,
  onDone,
  move: submit = moveAsMember,
}: {
  booking: Booking;
  venue: Pick<Venue, 'id' | 'timezone'>;
  onDone: (m: string, moved: Booking) => void;
  move?: (booking: Booking, start: string) => Promise<Booking>;
}) {
  const [date, setDate] = useState(todayIn(venue.timezone, Date.parse(booking.start_time)));
  const [data, setData] = useState<AvailabilityResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pricedFor = submit === moveAsMember ? 'visitor' : 'public';

  useEffect(() => {
    setData(null);
    // A guest's move (manage token) is priced for the booking, not for whoever is signed in here.
    fetchAvailability(venue.id, date, booking.duration, booking.simulator_id, pricedFor)
      .then(setData)
      .catch((e) => setError(errorText(e)));
  }, [venue.id, date, booking.duration, booking.simulator_id, pricedFor]);

  const move = async (start: string) => {
    setBusy(true);
    setError(null);
    try {
      const moved = await submit(booking, start);
      onDone(
        `Booking ${moved.reference_code} moved to ${dateTimeIn(moved.start_time, venue.timezone)}.`,
        moved,
      );
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  const slots = data?.simulators.find((s) => s.simulator_id === booking.simulator_id)?.slots ?? [];
  return (
    <fieldset className="inline-panel stack">
      <legend className="sr-only">Reschedule booking {booking.reference_code}</legend>
      <Field label="New date">
        <input
          type="date"
          value={date}
          min={todayIn(venue.timezone)}
          onChange={(e) => e.target.value && setDate(e.target.value)}
        />
      </Field>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {!data && !error && <Loading label="Finding free times…" />}
      {data && slots.length === 0 && (
        <p className="muted">No free time that day for this bay. Try another date.</p>
      )}
      <ul className="slots">
        {slots.map((slot) => (
          <li key={slot.start_time}>
            <button type="button" className="slot" disabled={busy} onClick={() => void move(slot.start_time)}>
              <span className="slot-time">{timeIn(slot.start_time, venue.timezone)}</span>
              <span className="slot-price">{money(slot.price_cents)}</span>
            </button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

import type { AvailabilityResponse } from '@clubos/shared/api';
import { DateTime } from 'luxon';
import { type FormEvent, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type { WaitlistEntry } from '../shared-ui/api-types.js';
import { dateTimeIn, minutesLabel } from '../shared-ui/format.js';
import { Link } from '../shared-ui/router.js';
import { useSession } from '../shared-ui/session.js';
import { Field } from '../shared-ui/ui.js';
import { session, type Venue } from './site-api.js';

/**
 * Taken times are not listed (only free ones are), so a customer names the time they want:
 * on one bay or any bay. When a booking there is cancelled, the first in line gets an offer.
 */
export function WaitlistJoin({
  venue,
  date,
  duration,
  data,
}: {
  venue: Venue;
  date: string;
  duration: number;
  data: AvailabilityResponse | null;
}) {
  const user = useSession(session);
  const [entry, setEntry] = useState<WaitlistEntry | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const time = String(form.get('time') ?? '');
    const bay = String(form.get('bay') ?? '');
    const start = DateTime.fromISO(`${date}T${time}`, { zone: venue.timezone });
    if (!time || !start.isValid) {
      setError('Choose the start time you want.');
      return;
    }
    setError(null);
    try {
      setEntry(
        await session.authed<WaitlistEntry>('/waitlist', {
          method: 'POST',
          body: {
            ...(bay ? { simulator_id: bay } : { facility_id: venue.id }),
            start_time: start.toUTC().toISO({ suppressMilliseconds: true }),
            duration,
          },
        }),
      );
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section className="card stack" aria-labelledby="waitlist-join-h">
      <h3 id="waitlist-join-h">Time you want is taken?</h3>
      {!user ? (
        <p className="muted">
          <Link to="/account">Sign in</Link> to join the waitlist: if it frees up, we hold it for you.
        </p>
      ) : entry ? (
        <div className="alert ok" role="status">
          <strong>
            You’re on the waitlist{entry.position ? ` (#${entry.position})` : ''} for{' '}
            {dateTimeIn(entry.start_time, venue.timezone)}.
          </strong>
          If it frees up we hold it for you — accept the offer under My bookings.
        </div>
      ) : (
        <form className="row" onSubmit={submit}>
          <Field label="Start time">
            <input name="time" type="time" step={900} required />
          </Field>
          <Field label="Bay">
            <select name="bay" defaultValue="">
              <option value="">Any bay</option>
              {data?.simulators.map((b) => (
                <option key={b.simulator_id} value={b.simulator_id}>
                  {b.name}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" className="btn secondary">
            Join waitlist ({minutesLabel(duration)})
          </button>
        </form>
      )}
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
    </section>
  );
}

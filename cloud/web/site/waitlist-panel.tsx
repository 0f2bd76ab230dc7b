import type { Booking } from '@clubos/shared/api';
import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type { WaitlistEntry } from '../shared-ui/api-types.js';
import { dateTimeIn, minutesLabel, timeIn } from '../shared-ui/format.js';
import { navigate } from '../shared-ui/router.js';
import { ErrorNotice, Loading, StatusBadge } from '../shared-ui/ui.js';
import { rememberBooking } from './confirmation.page.js';
import { session, type Venue } from './site-api.js';

/** The customer's waitlist entries; an open offer can be accepted (it becomes a booking) or declined. */
export function WaitlistPanel({ venue }: { venue: Venue }) {
  const [entries, setEntries] = useState<WaitlistEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    session
      .authed<{ entries: WaitlistEntry[] }>('/waitlist')
      .then((r) => setEntries(r.entries.filter((e) => e.status === 'waiting' || e.status === 'offered')))
      .catch((e) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  const act = async (entry: WaitlistEntry, action: 'accept' | 'decline' | 'leave') => {
    setError(null);
    try {
      if (action === 'accept') {
        const booking = await session.authed<Booking>(`/waitlist/${entry.id}/accept`, {
          method: 'POST',
          body: {},
        });
        rememberBooking(booking, 'Your bay');
        navigate(`/confirmation/${booking.id}`);
        return;
      }
      if (action === 'decline')
        await session.authed(`/waitlist/${entry.id}/decline`, { method: 'POST', body: {} });
      else await session.authed(`/waitlist/${entry.id}`, { method: 'DELETE' });
      load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section className="card stack" aria-labelledby="waitlist-heading">
      <h2 id="waitlist-heading">Waitlist</h2>
      {error && <ErrorNotice title="Waitlist action failed" message={error} onRetry={load} />}
      {!entries && !error && <Loading label="Loading your waitlist…" />}
      {entries?.length === 0 && (
        <p className="muted">You are not waiting for any time. Taken times offer a waitlist.</p>
      )}
      <ul className="list">
        {entries?.map((entry) => (
          <li key={entry.id} className="list-item" data-waitlist={entry.id}>
            <div>
              <strong>{dateTimeIn(entry.start_time, venue.timezone)}</strong> · {minutesLabel(entry.duration)}{' '}
              <StatusBadge status={entry.status} />
              {entry.status === 'waiting' && entry.position && (
                <span className="muted"> #{entry.position} in line</span>
              )}
              {entry.status === 'offered' && entry.offer_expires_at && (
                <p className="muted">
                  The time is held for you until {timeIn(entry.offer_expires_at, venue.timezone)}.
                </p>
              )}
            </div>
            <div className="row">
              {entry.status === 'offered' && (
                <>
                  <button type="button" className="btn small" onClick={() => void act(entry, 'accept')}>
                    Accept offer
                  </button>
                  <button
                    type="button"
                    className="btn small secondary"
                    onClick={() => void act(entry, 'decline')}
                  >
                    Decline
                  </button>
                </>
              )}
              {entry.status === 'waiting' && (
                <button
                  type="button"
                  className="btn small secondary"
                  onClick={() => void act(entry, 'leave')}
                >
                  Leave waitlist
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

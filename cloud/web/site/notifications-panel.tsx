import { dateTimeIn } from '../shared-ui/format.js';
import { ErrorNotice, Loading } from '../shared-ui/ui.js';
import type { Venue } from './site-api.js';
import { useNotifications } from './use-notifications.js';

/** The customer's in-app notifications, newest first, updated live; unread ones can be marked read. */
export function NotificationsPanel({ venue }: { venue: Venue }) {
  const { items, unread, error, live, announcement, markRead, reload } = useNotifications();
  return (
    <section className="card stack" aria-labelledby="notifications-heading" data-live={live}>
      <div className="row spread">
        <h2 id="notifications-heading">
          Notifications{' '}
          {unread > 0 && (
            <span className="badge pending" data-testid="unread-count">
              {unread} unread
            </span>
          )}
        </h2>
        <span className="muted">{live ? 'Live' : 'Connecting…'}</span>
      </div>
      <div aria-live="polite" className="sr-only">
        {announcement}
      </div>
      {error && (
        <ErrorNotice title="Your notifications could not be loaded" message={error} onRetry={reload} />
      )}
      {!items && !error && <Loading label="Loading your notifications…" />}
      {items?.length === 0 && <p className="empty">No notifications yet.</p>}
      <ul className="list">
        {items?.map((n) => (
          <li key={n.id} className="list-item" data-notification={n.kind} data-read={n.read_at !== null}>
            <div className="list-main">
              <div>
                {n.read_at === null ? <strong>{n.title}</strong> : n.title}{' '}
                <span className="muted">· {dateTimeIn(n.created_at, venue.timezone)}</span>
              </div>
              <div className="muted">{n.body}</div>
            </div>
            {n.read_at === null && (
              <button type="button" className="btn small secondary" onClick={() => void markRead(n.id)}>
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

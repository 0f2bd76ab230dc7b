import { useMemo } from 'react';
import { Link } from '../shared-ui/router.js';
import { linkPreferences, NotificationPreferencesPanel } from './notification-preferences.panel.js';

/** `/preferences?token=…`: the choices of the customer an email's link names, without signing in. */
export function PreferencesPage() {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const source = useMemo(() => linkPreferences(token), [token]);
  return (
    <>
      <h1 tabIndex={-1}>Your notifications</h1>
      {token ? (
        <NotificationPreferencesPanel source={source} />
      ) : (
        <p className="empty">
          This page opens from the link in one of our emails. Signed in, your settings are under{' '}
          <Link to="/account">My bookings</Link>.
        </p>
      )}
    </>
  );
}

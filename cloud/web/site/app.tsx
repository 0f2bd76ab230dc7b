import { useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import { BrandMark } from '../shared-ui/brand-mark.js';
import { Link, usePath } from '../shared-ui/router.js';
import { useSession } from '../shared-ui/session.js';
import { ErrorNotice, Loading } from '../shared-ui/ui.js';
import { AccountPage } from './account.page.js';
import { BookPage } from './book.page.js';
import { CheckoutReturnPage } from './checkout-return.page.js';
import { ConfirmationPage } from './confirmation.page.js';
import { ManagePage } from './manage.page.js';
import { PreferencesPage } from './preferences.page.js';
import { listVenues, session, type Venue } from './site-api.js';

const VENUE_KEY = 'clubos.site.venue';

export function App() {
  const path = usePath();
  const user = useSession(session);
  const [venues, setVenues] = useState<Venue[] | null>(null);
  const [venueId, setVenueId] = useState<string | null>(() => localStorage.getItem(VENUE_KEY));
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    setError(null);
    listVenues()
      .then(setVenues)
      .catch((e) => setError(errorText(e)));
  };
  useEffect(load, []);

  const venue = venues?.find((v) => v.id === venueId) ?? venues?.[0] ?? null;
  const chooseVenue = (id: string) => {
    localStorage.setItem(VENUE_KEY, id);
    setVenueId(id);
  };

  let body: React.ReactNode;
  if (error) body = <ErrorNotice title="The booking site could not load" message={error} onRetry={load} />;
  else if (!venues) body = <Loading label="Loading venues…" />;
  else if (!venue) body = <p className="empty">No venue takes bookings online yet. Please call the venue.</p>;
  else if (path.startsWith('/confirmation/'))
    body = <ConfirmationPage id={path.split('/')[2] ?? ''} venue={venue} />;
  else if (path === '/checkout/return') body = <CheckoutReturnPage venue={venue} />;
  else if (path === '/account') body = <AccountPage venue={venue} />;
  else if (path === '/manage') body = <ManagePage />;
  else if (path === '/preferences') body = <PreferencesPage />;
  else body = <BookPage venue={venue} />;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand">
            <BrandMark />
            <span>
              {venue?.name ?? 'ClubOS'}
              <small>Indoor golf · book a bay</small>
            </span>
          </Link>
          <nav className="nav" aria-label="Main">
            {venues && venues.length > 1 && venue && (
              <label className="field venue-picker">
                <span className="sr-only">Venue</span>
                <select value={venue.id} onChange={(e) => chooseVenue(e.target.value)}>
                  {venues.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <Link to="/">Book</Link>
            <Link to="/manage">Manage a booking</Link>
            <Link to="/account">{user ? 'My bookings' : 'Sign in'}</Link>
          </nav>
        </div>
      </header>
      <main id="main" className="page">
        {body}
      </main>
    </>
  );
}

import type { TokenResponse } from '@clubos/shared/api';
import { type FormEvent, useState } from 'react';
import { api, errorText } from '../shared-ui/api.js';
import { useSession } from '../shared-ui/session.js';
import { Field } from '../shared-ui/ui.js';
import { ClaimForm } from './claim-form.js';
import { MyBookings } from './my-bookings.js';
import { accountPreferences, NotificationPreferencesPanel } from './notification-preferences.panel.js';
import { NotificationsPanel } from './notifications-panel.js';
import { SavedCardPanel } from './saved-card.panel.js';
import { session, type Venue } from './site-api.js';
import { WaitlistPanel } from './waitlist-panel.js';

function SignIn() {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    setBusy(true);
    setError(null);
    try {
      if (mode === 'login') await session.login(email, password);
      else {
        const firstName = String(form.get('first_name') ?? '').trim();
        session.set(
          await api<TokenResponse>('/auth/register', {
            method: 'POST',
            body: { email, password, ...(firstName ? { first_name: firstName } : {}) },
          }),
        );
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card narrow stack">
      <div className="tabs" role="tablist" aria-label="Account">
        <button type="button" role="tab" aria-selected={mode === 'login'} onClick={() => setMode('login')}>
          Sign in
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'register'}
          onClick={() => setMode('register')}
        >
          Create account
        </button>
      </div>
      <form className="stack" onSubmit={submit}>
        {mode === 'register' && (
          <Field label="First name">
            <input name="first_name" autoComplete="given-name" />
          </Field>
        )}
        <Field label="Email">
          <input name="email" type="email" autoComplete="email" required />
        </Field>
        <Field label="Password" hint={mode === 'register' ? 'At least 10 characters' : undefined}>
          <input
            name="password"
            type="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            minLength={mode === 'register' ? 10 : 1}
            required
          />
        </Field>
        {error && (
          <div className="alert error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="btn" disabled={busy}>
          {busy ? 'One moment…' : mode === 'login' ? 'Sign in' : 'Create account'}
        </button>
      </form>
    </div>
  );
}

export function AccountPage({ venue }: { venue: Venue }) {
  const user = useSession(session);
  // A claimed booking joins the list: remounting reloads it.
  const [listVersion, setListVersion] = useState(0);
  if (!user) {
    return (
      <>
        <h1 tabIndex={-1}>Sign in</h1>
        <p className="lede">See your bookings, cancel or move them, and accept waitlist offers.</p>
        <SignIn />
      </>
    );
  }
  return (
    <>
      <div className="row spread">
        <h1 tabIndex={-1}>My bookings</h1>
        <button type="button" className="btn ghost" onClick={() => void session.logout()}>
          Sign out ({user.user.email})
        </button>
      </div>
      <div className="stack">
        <MyBookings key={listVersion} venue={venue} />
        <SavedCardPanel venue={venue} />
        <NotificationsPanel venue={venue} />
        <NotificationPreferencesPanel source={accountPreferences} />
        <ClaimForm onClaimed={() => setListVersion((v) => v + 1)} />
        <WaitlistPanel venue={venue} />
      </div>
    </>
  );
}

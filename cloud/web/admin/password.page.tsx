import type { TokenResponse } from '@clubos/shared/api';
import { type FormEvent, useState } from 'react';
import { ApiError, api, errorText } from '../shared-ui/api.js';
import { BrandMark } from '../shared-ui/brand-mark.js';
import { Field } from '../shared-ui/ui.js';
import { session } from './admin-api.js';

/** The registration rule (shared/src/api/auth.schema.ts): at least 10 characters. */
const MIN_LENGTH = 10;

/** True for the API's answer to an account that must choose a new password first. */
export function isPasswordChangeRequired(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'PASSWORD_CHANGE_REQUIRED';
}

/**
 * Shown while the signed-in account must replace its one-time password (the bootstrap admin's
 * generated password): the API refuses everything else until it is changed. The answer carries a
 * fresh token pair (every other session is signed out), which replaces the stored session.
 */
export function ChoosePasswordPage({ email, onChanged }: { email: string; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const current = String(form.get('current') ?? '');
    const next = String(form.get('next') ?? '');
    if (next.length < MIN_LENGTH)
      return setError(`The new password needs at least ${MIN_LENGTH} characters.`);
    if (next !== String(form.get('repeat') ?? '')) return setError('The two new passwords do not match.');
    if (next === current) return setError('Choose a password different from the current one.');
    setBusy(true);
    setError(null);
    try {
      const request = { method: 'POST', body: { current_password: current, new_password: next } } as const;
      // Not `session.authed` first: it answers every 401 by refreshing and, when the retry is a
      // 401 again, signs out — and a wrong current password is a 401 too. Only an expired
      // access token goes through the refresh.
      const fresh = await api<TokenResponse>('/auth/password', {
        ...request,
        token: session.get()?.access_token,
      }).catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 'INVALID_TOKEN')
          return session.authed<TokenResponse>('/auth/password', request);
        throw e;
      });
      session.set(fresh);
      onChanged();
    } catch (e) {
      setError(
        e instanceof ApiError && e.field === 'current_password'
          ? 'The current password is not correct.'
          : errorText(e),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="page login-page">
      <form className="card narrow stack" onSubmit={submit} aria-labelledby="choose-password-title">
        <BrandMark />
        <h1 id="choose-password-title" tabIndex={-1}>
          Choose a new password
        </h1>
        <p className="muted">
          {email} signed in with a one-time password. Choose your own before managing the venue; other devices
          signed in to this account will be signed out.
        </p>
        <Field label="Current password">
          <input name="current" type="password" autoComplete="current-password" required />
        </Field>
        <Field label="New password" hint={`At least ${MIN_LENGTH} characters.`}>
          <input name="next" type="password" autoComplete="new-password" minLength={MIN_LENGTH} required />
        </Field>
        <Field label="Repeat new password">
          <input name="repeat" type="password" autoComplete="new-password" minLength={MIN_LENGTH} required />
        </Field>
        {error && (
          <div className="alert error" role="alert">
            {error}
          </div>
        )}
        <div className="row">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? 'Saving…' : 'Save new password'}
          </button>
          <button type="button" className="btn ghost" onClick={() => void session.logout()}>
            Sign out
          </button>
        </div>
      </form>
    </main>
  );
}

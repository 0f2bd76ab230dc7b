import type {
  NotificationPreferences,
  UpdateNotificationPreferences,
} from '@clubos/shared/api/notification-preferences.schemas';
import { useEffect, useState } from 'react';
import { api, errorText } from '../shared-ui/api.js';
import { ErrorNotice, Loading } from '../shared-ui/ui.js';
import { session } from './site-api.js';

type Kind = NotificationPreferences['kinds'][number];
type Channel = 'email' | 'sms' | 'in_app';
const CHANNELS: { key: Channel; label: string }[] = [
  { key: 'email', label: 'Email' },
  { key: 'sms', label: 'SMS' },
  { key: 'in_app', label: 'In-app' },
];

/** Where the choices are read and saved: the signed-in account, or an email link's token. */
export interface PreferencesSource {
  load(): Promise<NotificationPreferences>;
  save(body: UpdateNotificationPreferences): Promise<NotificationPreferences>;
}

export const accountPreferences: PreferencesSource = {
  load: () => session.authed('/me/notification-preferences'),
  save: (body) => session.authed('/me/notification-preferences', { method: 'PUT', body }),
};

export function linkPreferences(token: string): PreferencesSource {
  return {
    load: () => api('/notifications/preferences', { query: { token } }),
    save: (body) => api('/notifications/preferences', { method: 'PUT', query: { token }, body }),
  };
}

/**
 * Which channels each kind of message goes by; a change is saved at once. The kinds that carry
 * the door PIN keep email or SMS (the server refuses otherwise, and the message is shown).
 */
export function NotificationPreferencesPanel({ source }: { source: PreferencesSource }) {
  const [prefs, setPrefs] = useState<NotificationPreferences | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<{ kind: string; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => {
    setLoadError(null);
    source
      .load()
      .then(setPrefs)
      .catch((e) => setLoadError(errorText(e)));
  };
  useEffect(load, [source]);

  const toggle = async (k: Kind, channel: Channel, on: boolean) => {
    setError(null);
    setNotice(null);
    setBusy(true);
    const channels = { email: k.email, sms: k.sms, in_app: k.in_app, [channel]: on };
    // The box shows the choice at once (a controlled box would spring back until the save answers);
    // a refused save puts it back and says why.
    const before = prefs;
    setPrefs(
      (p) => p && { ...p, kinds: p.kinds.map((x) => (x.kind === k.kind ? { ...x, ...channels } : x)) },
    );
    try {
      setPrefs(await source.save({ kinds: { [k.kind]: channels } }));
      setNotice(`Saved: ${k.label}.`);
    } catch (e) {
      setPrefs(before);
      setError({ kind: k.kind, message: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="prefs-heading" data-testid="notification-preferences">
      <h2 id="prefs-heading">Notification settings</h2>
      {loadError && (
        <ErrorNotice title="Your settings could not be loaded" message={loadError} onRetry={load} />
      )}
      {!prefs && !loadError && <Loading label="Loading your settings…" />}
      {prefs && (
        <>
          <p className="muted">
            Messages to {prefs.email}. Booking confirmations and moves carry your door PIN, so they keep email
            or SMS.
            {!prefs.overall.email && ' Email is switched off for everything in your profile.'}
            {!prefs.overall.sms && ' SMS is switched off for everything in your profile.'}
          </p>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Message</th>
                  {CHANNELS.map((c) => (
                    <th key={c.key} scope="col">
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {prefs.kinds.map((k) => (
                  <tr key={k.kind} data-kind={k.kind}>
                    <th scope="row">
                      {k.label}
                      {error?.kind === k.kind && (
                        <span className="field-error" role="alert">
                          {' '}
                          {error.message}
                        </span>
                      )}
                    </th>
                    {CHANNELS.map((c) => (
                      <td key={c.key}>
                        <input
                          type="checkbox"
                          aria-label={`${k.label}: ${c.label}`}
                          checked={k[c.key]}
                          disabled={busy}
                          onChange={(e) => void toggle(k, c.key, e.target.checked)}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div role="status">{notice}</div>
        </>
      )}
    </section>
  );
}

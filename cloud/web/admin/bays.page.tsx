import { DateTime } from 'luxon';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type { AdminSimulator } from '../shared-ui/api-types.js';
import { dateTimeIn, money } from '../shared-ui/format.js';
import { ErrorNotice, Field, Loading, StatusBadge } from '../shared-ui/ui.js';
import { session } from './admin-api.js';

interface UpdateResult {
  simulator: AdminSimulator;
  affected_bookings: { id: string; reference_code: string; start_time: string }[];
}

function MaintenanceForm({
  bay,
  zone,
  onSaved,
}: {
  bay: AdminSimulator;
  zone: string;
  onSaved: (result: UpdateResult) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const reason = String(form.get('reason') ?? '').trim();
    const until = String(form.get('until') ?? '');
    // The end is typed in the venue's wall time, whatever zone the admin's laptop is in.
    const untilInstant = until ? DateTime.fromISO(until, { zone }).toUTC().toISO() : null;
    setBusy(true);
    setError(null);
    try {
      onSaved(
        await session.authed<UpdateResult>(`/admin/simulators/${bay.id}`, {
          method: 'PATCH',
          body: { status: 'maintenance', reason, maintenance_until: untilInstant },
        }),
      );
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <form className="inline-panel stack" onSubmit={submit} aria-label={`Maintenance for ${bay.name}`}>
      <div className="row">
        <Field label="Reason">
          <input name="reason" required maxLength={500} placeholder="e.g. projector bulb" />
        </Field>
        <Field label="Until (venue time)" hint="Leave empty: until you reactivate it">
          <input name="until" type="datetime-local" />
        </Field>
      </div>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn danger small" disabled={busy}>
          {busy ? 'Saving…' : 'Put in maintenance'}
        </button>
      </div>
    </form>
  );
}

export function BaysPage({ facilityId, zone }: { facilityId: string; zone: string }) {
  const [bays, setBays] = useState<AdminSimulator[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    session
      .authed<{ simulators: AdminSimulator[] }>('/admin/simulators', { query: { facility_id: facilityId } })
      .then((r) => setBays(r.simulators))
      .catch((e) => setError(errorText(e)));
  }, [facilityId]);
  useEffect(load, [load]);

  const saved = (result: UpdateResult) => {
    setEditing(null);
    const n = result.affected_bookings.length;
    setNotice(
      result.simulator.status === 'maintenance'
        ? `${result.simulator.name} is in maintenance.${n > 0 ? ` ${n} booking${n === 1 ? '' : 's'} overlap it: contact ${n === 1 ? 'that customer' : 'those customers'} (${result.affected_bookings.map((b) => b.reference_code).join(', ')}).` : ''}`
        : `${result.simulator.name} is active again.`,
    );
    load();
  };

  const reactivate = async (bay: AdminSimulator) => {
    try {
      saved(
        await session.authed<UpdateResult>(`/admin/simulators/${bay.id}`, {
          method: 'PATCH',
          body: { status: 'active' },
        }),
      );
    } catch (e) {
      setError(errorText(e));
    }
  };

  if (error) return <ErrorNotice title="Bays could not be loaded" message={error} onRetry={load} />;
  if (!bays) return <Loading label="Loading bays…" />;
  return (
    <div className="stack">
      <div aria-live="polite">{notice && <div className="alert ok">{notice}</div>}</div>
      {bays.length === 0 && <p className="empty">This facility has no bays yet.</p>}
      <ul className="list">
        {bays.map((bay) => (
          <li key={bay.id} className="list-item card" data-bay={bay.id}>
            <div>
              <strong>{bay.name}</strong> <StatusBadge status={bay.status} />
              <div className="muted">
                {bay.type ?? 'simulator'} · {money(bay.hourly_rate_cents)}/h
                {bay.status === 'maintenance' &&
                  ` · ${bay.maintenance_reason ?? 'maintenance'}${bay.maintenance_until ? ` until ${dateTimeIn(bay.maintenance_until, zone)}` : ' until reactivated'}`}
              </div>
            </div>
            <div className="row">
              {bay.status === 'active' ? (
                <button
                  type="button"
                  className="btn small secondary"
                  aria-expanded={editing === bay.id}
                  onClick={() => setEditing(editing === bay.id ? null : bay.id)}
                >
                  Set maintenance…
                </button>
              ) : (
                <button type="button" className="btn small" onClick={() => void reactivate(bay)}>
                  Back to active
                </button>
              )}
            </div>
            {editing === bay.id && <MaintenanceForm bay={bay} zone={zone} onSaved={saved} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

import { alertRolesOf, STAFF_ALERT_KINDS, type StaffAlertRole } from '@clubos/shared/notifications';
import { type FormEvent, useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type { AdminFacility } from '../shared-ui/api-types.js';
import { ErrorNotice, Loading } from '../shared-ui/ui.js';
import { session } from './admin-api.js';

type Choice = Record<string, StaffAlertRole[]>;
const ROLE_LABELS: Record<StaffAlertRole, string> = { staff: 'Staff of this venue', admin: 'Admins' };

const choiceOf = (f: AdminFacility): Choice =>
  Object.fromEntries(STAFF_ALERT_KINDS.map(({ kind }) => [kind, alertRolesOf(f.settings, kind)]));

/**
 * Which roles are emailed each kind of staff alert at one facility (`settings.staff_alert_roles`;
 * a kind with no role ticked is not emailed). Saved with the facility's other settings.
 */
export function StaffAlertRolesPanel({ facilityId }: { facilityId: string }) {
  const [facility, setFacility] = useState<AdminFacility | null>(null);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `/admin/facilities/${facilityId}`;
  const adopt = (f: AdminFacility) => {
    setFacility(f);
    setChoice(choiceOf(f));
  };
  const load = () => {
    setLoadError(null);
    session
      .authed<AdminFacility>(url)
      .then((f) => {
        setFacility(f);
        setChoice(choiceOf(f));
      })
      .catch((e) => setLoadError(errorText(e)));
  };
  useEffect(load, [url]);

  const flip = (kind: string, role: StaffAlertRole, on: boolean) =>
    setChoice((c) => {
      if (!c) return c;
      const roles = new Set(c[kind]);
      if (on) roles.add(role);
      else roles.delete(role);
      return { ...c, [kind]: (['staff', 'admin'] as const).filter((r) => roles.has(r)) };
    });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!facility || !choice) return;
    setFormError(null);
    setNotice(null);
    setBusy(true);
    try {
      // Other kinds someone set through the API are kept; the listed ones are replaced.
      const current = (facility.settings.staff_alert_roles ?? {}) as Choice;
      const settings = { ...facility.settings, staff_alert_roles: { ...current, ...choice } };
      adopt(await session.authed<AdminFacility>(url, { method: 'PATCH', body: { settings } }));
      const silent = STAFF_ALERT_KINDS.filter(({ kind }) => choice[kind]?.length === 0).length;
      setNotice(
        `Saved. ${silent === 0 ? 'Every alert is emailed.' : `${silent} alert kind(s) are not emailed.`}`,
      );
    } catch (e) {
      setFormError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="alert-roles-h" data-testid="staff-alert-roles">
      <h3 id="alert-roles-h">Staff alert emails</h3>
      {loadError && (
        <ErrorNotice title="The alert settings could not be loaded" message={loadError} onRetry={load} />
      )}
      {!choice && !loadError && <Loading label="Loading the alert settings…" />}
      {choice && (
        <form aria-label="Staff alert emails" className="stack" onSubmit={(e) => void submit(e)}>
          <p className="muted">
            Who is emailed when the venue raises an alert. Untick both to not email a kind.
          </p>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Alert</th>
                  {(['staff', 'admin'] as const).map((r) => (
                    <th key={r} scope="col">
                      {ROLE_LABELS[r]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {STAFF_ALERT_KINDS.map(({ kind, label }) => (
                  <tr key={kind} data-alert-kind={kind}>
                    <th scope="row">{label}</th>
                    {(['staff', 'admin'] as const).map((r) => (
                      <td key={r}>
                        <input
                          type="checkbox"
                          aria-label={`${label}: ${ROLE_LABELS[r]}`}
                          checked={choice[kind]?.includes(r) ?? false}
                          onChange={(e) => flip(kind, r, e.target.checked)}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {formError && (
            <p className="field-error" role="alert">
              {formError}
            </p>
          )}
          <div role="status">{notice}</div>
          <button type="submit" className="btn" disabled={busy}>
            Save alert emails
          </button>
        </form>
      )}
    </section>
  );
}

import type { AuthUser, ManagedUser } from '@clubos/shared/api';
import { Fragment, useCallback, useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type { AdminFacility } from '../shared-ui/api-types.js';
import { ErrorNotice, Loading } from '../shared-ui/ui.js';
import { type StaffMember, session } from './admin-api.js';
import { ActiveConfirm, CreateStaffForm, EditStaffPanel } from './staff-forms.js';

type Open = { id: string; what: 'edit' | 'active' } | null;

/** Staff and admin accounts: who works where, and who may sign in (admins only). */
export function StaffPage({
  facilities,
  currentUserId,
}: {
  facilities: AdminFacility[];
  currentUserId: string;
}) {
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const facilityName = (id: string) => facilities.find((f) => f.id === id)?.name ?? id;

  const load = useCallback(() => {
    setError(null);
    session
      .authed<{ staff: StaffMember[] }>('/admin/staff')
      .then((r) => setStaff(r.staff))
      .catch((e) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  const toggle = (id: string, what: 'edit' | 'active') => {
    setNotice(null);
    setOpen(open?.id === id && open.what === what ? null : { id, what });
  };
  const created = (user: AuthUser) => {
    setNotice(
      `Created ${user.role} account ${user.email}. Give them their password; they sign in at /admin/.`,
    );
    load();
  };
  const changed = (user: ManagedUser, what: 'edit' | 'active') => {
    setOpen(null);
    setNotice(
      what === 'edit'
        ? `Saved ${user.email}: ${user.role === 'admin' ? 'admin of every facility' : `staff at ${user.facility_ids.map(facilityName).join(', ')}`}.`
        : user.active
          ? `${user.email} is active again and can sign in.`
          : `${user.email} is deactivated and signed out.`,
    );
    load();
  };

  let list: React.ReactNode;
  if (error) list = <ErrorNotice title="Staff could not be loaded" message={error} onRetry={load} />;
  else if (!staff) list = <Loading label="Loading staff…" />;
  else
    list = (
      <div className="card table-wrap">
        <table className="data staff">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Facilities</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff.map((m) => {
              const self = m.id === currentUserId;
              return (
                <Fragment key={m.id}>
                  <tr data-staff={m.id} className={m.active ? undefined : 'inactive-row'}>
                    <td>
                      {m.email}
                      {self && <span className="muted"> (you)</span>}
                    </td>
                    <td>{m.role}</td>
                    <td>{m.role === 'admin' ? 'All' : m.facility_ids.map(facilityName).join(', ') || '—'}</td>
                    <td>
                      <span className={`badge ${m.active ? '' : 'inactive'}`}>
                        {m.active ? 'active' : 'deactivated'}
                      </span>
                      {m.must_change_password && <span className="badge pending">must change password</span>}
                    </td>
                    <td className="actions">
                      {/* Your own role and access are another admin's call (the API refuses them too). */}
                      {!self && (
                        <>
                          <button
                            type="button"
                            className="btn small secondary"
                            aria-expanded={open?.id === m.id && open.what === 'edit'}
                            onClick={() => toggle(m.id, 'edit')}
                          >
                            Edit…
                          </button>
                          <button
                            type="button"
                            className={`btn small ${m.active ? 'ghost danger-text' : 'secondary'}`}
                            aria-expanded={open?.id === m.id && open.what === 'active'}
                            onClick={() => toggle(m.id, 'active')}
                          >
                            {m.active ? 'Deactivate…' : 'Reactivate…'}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                  {open?.id === m.id && (
                    <tr className="panel-row">
                      <td colSpan={5}>
                        {open.what === 'edit' ? (
                          <EditStaffPanel
                            member={m}
                            facilities={facilities}
                            onSaved={(u) => changed(u, 'edit')}
                          />
                        ) : (
                          <ActiveConfirm
                            member={m}
                            onDone={(u) => changed(u, 'active')}
                            onCancel={() => setOpen(null)}
                          />
                        )}
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    );

  return (
    <div className="stack">
      <div aria-live="polite">{notice && <div className="alert ok">{notice}</div>}</div>
      {list}
      <CreateStaffForm facilities={facilities} onCreated={created} />
    </div>
  );
}

import type { AuthUser, ManagedUser } from '@clubos/shared/api';
import { type FormEvent, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type { AdminFacility } from '../shared-ui/api-types.js';
import { Field } from '../shared-ui/ui.js';
import { type StaffMember, session } from './admin-api.js';

type Role = StaffMember['role'];

function FacilityChoices({
  facilities,
  selected,
  onChange,
  legend,
}: {
  facilities: AdminFacility[];
  selected: string[];
  onChange: (ids: string[]) => void;
  legend: string;
}) {
  return (
    <fieldset className="days">
      <legend className="field-legend">{legend}</legend>
      {facilities.map((f) => (
        <label key={f.id} className="check">
          <input
            type="checkbox"
            checked={selected.includes(f.id)}
            onChange={(e) =>
              onChange(e.target.checked ? [...selected, f.id] : selected.filter((id) => id !== f.id))
            }
          />
          {f.name}
        </label>
      ))}
    </fieldset>
  );
}

function RoleSelect({ value, onChange }: { value: Role; onChange: (role: Role) => void }) {
  return (
    <Field label="Role">
      <select value={value} onChange={(e) => onChange(e.target.value === 'admin' ? 'admin' : 'staff')}>
        <option value="staff">Staff (chosen facilities)</option>
        <option value="admin">Admin (every facility, manages staff)</option>
      </select>
    </Field>
  );
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <div className="alert error" role="alert">
      {error}
    </div>
  ) : null;
}

/**
 * `POST /auth/users`: a staff or admin account with a password the admin hands over. By default it
 * is a one-time password the person must replace at their first sign-in.
 */
export function CreateStaffForm({
  facilities,
  onCreated,
}: {
  facilities: AdminFacility[];
  onCreated: (user: AuthUser) => void;
}) {
  const [role, setRole] = useState<Role>('staff');
  const [facilityIds, setFacilityIds] = useState<string[]>(
    facilities.length === 1 ? [facilities[0]!.id] : [],
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    if (role === 'staff' && facilityIds.length === 0) {
      setError('Choose at least one facility this person works at.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const user = await session.authed<AuthUser>('/auth/users', {
        method: 'POST',
        body: {
          email: String(data.get('email') ?? '').trim(),
          password: String(data.get('password') ?? ''),
          role,
          must_change_password: data.get('one_time') === 'on',
          ...(role === 'staff' ? { facility_ids: facilityIds } : {}),
        },
      });
      form.reset();
      onCreated(user);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="new-staff-h">
      <h2 id="new-staff-h">Add a staff account</h2>
      <div className="row top">
        <Field label="Email">
          <input name="email" type="email" required maxLength={255} autoComplete="off" />
        </Field>
        <Field label="Initial password" hint="At least 10 characters; give it to them in person">
          <input
            name="password"
            type="text"
            required
            minLength={10}
            maxLength={200}
            autoComplete="new-password"
          />
        </Field>
        <RoleSelect value={role} onChange={setRole} />
      </div>
      <label className="check">
        <input name="one_time" type="checkbox" defaultChecked /> They must choose their own password at first
        sign-in
      </label>
      {role === 'staff' && (
        <FacilityChoices
          facilities={facilities}
          selected={facilityIds}
          onChange={setFacilityIds}
          legend="Works at"
        />
      )}
      <ErrorLine error={error} />
      <div className="row">
        <button type="submit" className="btn" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </div>
    </form>
  );
}

/** `PATCH /auth/users/:id`: role and facilities (replaced). Applies to their very next request. */
export function EditStaffPanel({
  member,
  facilities,
  onSaved,
}: {
  member: StaffMember;
  facilities: AdminFacility[];
  onSaved: (user: ManagedUser) => void;
}) {
  const [role, setRole] = useState<Role>(member.role);
  const [facilityIds, setFacilityIds] = useState<string[]>(member.facility_ids);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (role === 'staff' && facilityIds.length === 0) {
      setError('A staff account needs at least one facility.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSaved(
        await session.authed<ManagedUser>(`/auth/users/${member.id}`, {
          method: 'PATCH',
          body: {
            ...(role !== member.role ? { role } : {}),
            ...(role === 'staff' ? { facility_ids: facilityIds } : {}),
          },
        }),
      );
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <form className="inline-panel stack" onSubmit={submit} aria-label={`Edit ${member.email}`}>
      <div className="row">
        <RoleSelect value={role} onChange={setRole} />
      </div>
      {role === 'staff' && (
        <FacilityChoices
          facilities={facilities}
          selected={facilityIds}
          onChange={setFacilityIds}
          legend="Works at"
        />
      )}
      <ErrorLine error={error} />
      <div className="row">
        <button type="submit" className="btn small" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}

/** Deactivation signs the person out at once; both directions ask first. */
export function ActiveConfirm({
  member,
  onDone,
  onCancel,
}: {
  member: StaffMember;
  onDone: (user: ManagedUser) => void;
  onCancel: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const activate = !member.active;
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(
        await session.authed<ManagedUser>(`/auth/users/${member.id}`, {
          method: 'PATCH',
          body: { active: activate },
        }),
      );
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <fieldset
      className={`inline-panel stack confirm ${activate ? '' : 'danger'}`}
      aria-label={`${activate ? 'Reactivate' : 'Deactivate'} ${member.email}`}
    >
      <p>
        {activate
          ? `Reactivate ${member.email}? They can sign in again with their password.`
          : `Deactivate ${member.email}? They are signed out at once and can no longer sign in.`}
      </p>
      <ErrorLine error={error} />
      <div className="row">
        <button
          type="button"
          className={`btn small ${activate ? '' : 'danger'}`}
          disabled={busy}
          onClick={() => void confirm()}
        >
          {activate ? 'Yes, reactivate' : 'Yes, deactivate'}
        </button>
        <button type="button" className="btn small secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

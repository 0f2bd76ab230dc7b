import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type { AdminFacility } from '../shared-ui/api-types.js';
import { BrandMark } from '../shared-ui/brand-mark.js';
import { Link, usePath } from '../shared-ui/router.js';
import { useSession } from '../shared-ui/session.js';
import { ErrorNotice, Field, Loading } from '../shared-ui/ui.js';
import { session } from './admin-api.js';
import { BaysPage } from './bays.page.js';
import { CustomersPage } from './customers.page.js';
import { IntegrationsPage } from './integrations.page.js';
import { OverviewPage } from './overview.page.js';
import { ChoosePasswordPage, isPasswordChangeRequired } from './password.page.js';
import { PaymentsPage } from './payments.page.js';
import { RulesPage } from './rules.page.js';
import { StaffPage } from './staff.page.js';
import { StaffAlertRolesPanel } from './staff-alert-roles.panel.js';

function Login() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const s = await session.login(
        String(form.get('email') ?? '').trim(),
        String(form.get('password') ?? ''),
      );
      if (s.user.role === 'customer') {
        await session.logout();
        setError('This account is a customer account. Sign in with a staff or admin account.');
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="page login-page">
      <form className="card narrow stack" onSubmit={submit}>
        <h1 tabIndex={-1}>ClubOS admin</h1>
        <p className="muted">Sign in to manage your venue.</p>
        <Field label="Email">
          <input name="email" type="email" autoComplete="username" required />
        </Field>
        <Field label="Password">
          <input name="password" type="password" autoComplete="current-password" required />
        </Field>
        {error && (
          <div className="alert error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="btn" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

const TABS = [
  { path: '/admin/', label: 'Overview', adminOnly: false },
  { path: '/admin/bays', label: 'Bays', adminOnly: false },
  { path: '/admin/rules', label: 'Hours & pricing', adminOnly: false },
  { path: '/admin/customers', label: 'Customers', adminOnly: false },
  { path: '/admin/payments', label: 'Payments', adminOnly: false },
  { path: '/admin/staff', label: 'Staff', adminOnly: true },
  { path: '/admin/integrations', label: 'Integrations', adminOnly: false },
];
const FACILITY_KEY = 'clubos.admin.facility';

export function AdminApp() {
  const user = useSession(session);
  const path = usePath();
  const [facilities, setFacilities] = useState<AdminFacility[] | null>(null);
  const [facilityId, setFacilityId] = useState<string | null>(() => localStorage.getItem(FACILITY_KEY));
  const [error, setError] = useState<string | null>(null);
  // The API answers PASSWORD_CHANGE_REQUIRED until a one-time password is replaced.
  const [passwordRequired, setPasswordRequired] = useState(false);

  const userId = user?.user.id ?? null;
  const load = useCallback(() => {
    if (!userId) return;
    setError(null);
    setPasswordRequired(false);
    session
      .authed<{ facilities: AdminFacility[] }>('/admin/facilities')
      .then((r) => setFacilities(r.facilities))
      .catch((e) => (isPasswordChangeRequired(e) ? setPasswordRequired(true) : setError(errorText(e))));
  }, [userId]);
  useEffect(load, [load]);

  if (!user) return <Login />;
  if (passwordRequired || user.user.must_change_password)
    return <ChoosePasswordPage email={user.user.email} onChanged={load} />;
  const facility = facilities?.find((f) => f.id === facilityId) ?? facilities?.[0] ?? null;
  const choose = (id: string) => {
    localStorage.setItem(FACILITY_KEY, id);
    setFacilityId(id);
  };
  const isAdmin = user.user.role === 'admin';
  const tabs = TABS.filter((t) => isAdmin || !t.adminOnly);
  const tab =
    tabs.find((t) => t.path === path || (t.path !== '/admin/' && path.startsWith(t.path))) ?? tabs[0]!;

  let body: React.ReactNode;
  if (error) body = <ErrorNotice title="Facilities could not be loaded" message={error} onRetry={load} />;
  else if (!facilities) body = <Loading label="Loading facilities…" />;
  else if (!facility)
    body = (
      <p className="empty">No facility yet. Create one through the API (POST /api/v1/admin/facilities).</p>
    );
  else if (tab.path === '/admin/bays') body = <BaysPage facilityId={facility.id} zone={facility.timezone} />;
  else if (tab.path === '/admin/rules') body = <RulesPage key={facility.id} facility={facility} />;
  else if (tab.path === '/admin/customers')
    body = <CustomersPage key={facility.id} facility={facility} isAdmin={isAdmin} />;
  else if (tab.path === '/admin/payments')
    body = <PaymentsPage key={facility.id} facilityId={facility.id} zone={facility.timezone} />;
  else if (tab.path === '/admin/staff')
    body = (
      <>
        <StaffPage facilities={facilities} currentUserId={user.user.id} />
        <StaffAlertRolesPanel key={facility.id} facilityId={facility.id} />
      </>
    );
  else if (tab.path === '/admin/integrations') body = <IntegrationsPage zone={facility.timezone} />;
  else body = <OverviewPage facilityId={facility.id} />;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/admin/" className="brand">
            <BrandMark />
            <span>
              ClubOS admin
              <small>{facility ? `${facility.name} · ${facility.timezone}` : 'Venue management'}</small>
            </span>
          </Link>
          <div className="row">
            {facilities && facilities.length > 1 && facility && (
              <label className="field compact">
                <span className="sr-only">Facility</span>
                <select value={facility.id} onChange={(e) => choose(e.target.value)}>
                  {facilities.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <button type="button" className="btn ghost small" onClick={() => void session.logout()}>
              Sign out
            </button>
          </div>
        </div>
        <nav className="tabs-nav" aria-label="Sections">
          <div className="topbar-inner">
            {tabs.map((t) => (
              <Link key={t.path} to={t.path}>
                {t.label}
              </Link>
            ))}
          </div>
        </nav>
      </header>
      <main id="main" className="page">
        <h1 tabIndex={-1}>{tab.label}</h1>
        {body}
      </main>
    </>
  );
}

import { Fragment, useCallback, useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type { AdminFacility, AdminPricingRule } from '../shared-ui/api-types.js';
import { dateTimeIn } from '../shared-ui/format.js';
import { ErrorNotice, Field, Loading } from '../shared-ui/ui.js';
import { type CustomerSearchResult, type CustomerSummary, session } from './admin-api.js';
import { customerName, MembershipPanel } from './membership-panel.js';

const PAGE_SIZE = 25;
const DEBOUNCE_MS = 300;

/** `value`, once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Tiers the facility's pricing rules name (`conditions.member_tiers`), sorted, once each. */
function tiersOf(rules: AdminPricingRule[]): string[] {
  const tiers = new Set<string>();
  for (const rule of rules) {
    const named = rule.conditions.member_tiers;
    if (Array.isArray(named)) for (const t of named) if (typeof t === 'string') tiers.add(t);
  }
  return [...tiers].sort((a, b) => a.localeCompare(b));
}

function AccountBadge({ customer }: { customer: CustomerSummary }) {
  if (customer.has_account) return <span className="badge">account</span>;
  if (customer.detached_guest)
    return (
      <span
        className="badge pending"
        title="Guest bookings made before this email got an account; not claimed yet"
      >
        unclaimed guest
      </span>
    );
  return <span className="badge inactive">guest</span>;
}

export function CustomersPage({ facility, isAdmin }: { facility: AdminFacility; isAdmin: boolean }) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), DEBOUNCE_MS);
  // A new search starts on its first page.
  const [paging, setPaging] = useState({ q: '', offset: 0 });
  const offset = paging.q === q ? paging.offset : 0;
  const setOffset = (next: number) => setPaging({ q, offset: next });
  const [result, setResult] = useState<CustomerSearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tiers, setTiers] = useState<string[]>([]);

  useEffect(() => {
    session
      .authed<{ rules: AdminPricingRule[] }>('/admin/pricing-rules', { query: { facility_id: facility.id } })
      .then((r) => setTiers(tiersOf(r.rules)))
      // The tier stays free text: without the rules there are just no choices to offer.
      .catch(() => setTiers([]));
  }, [facility.id]);

  const load = useCallback(() => {
    let current = true;
    setError(null);
    session
      .authed<CustomerSearchResult>('/admin/customers', { query: { q, limit: PAGE_SIZE, offset } })
      .then((r) => current && setResult(r))
      .catch((e) => current && setError(errorText(e)));
    // A slower answer to an older search must not replace the newer one.
    return () => {
      current = false;
    };
  }, [q, offset]);
  useEffect(load, [load]);

  const saved = (updated: CustomerSummary, message: string) => {
    setNotice(message);
    setOpen(null);
    setResult((r) => r && { ...r, customers: r.customers.map((c) => (c.id === updated.id ? updated : c)) });
  };

  return (
    <div className="stack">
      <div className="row spread">
        <Field label="Search customers" hint="Part of an email or a name; any case">
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="e.g. ada@example.com or Lovelace"
            autoComplete="off"
            maxLength={255}
          />
        </Field>
        {result && (
          <p className="muted" role="status">
            {result.total === 0
              ? q
                ? `No customer matches “${q}”.`
                : 'No customers yet.'
              : `${result.offset + 1}–${result.offset + result.customers.length} of ${result.total}`}
          </p>
        )}
      </div>
      <div aria-live="polite">{notice && <div className="alert ok">{notice}</div>}</div>
      {error && <ErrorNotice title="Customers could not be loaded" message={error} onRetry={load} />}
      {!result && !error && <Loading label="Loading customers…" />}
      {result && result.customers.length > 0 && (
        <div className="card table-wrap">
          <table className="data customers">
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Email</th>
                <th scope="col">Membership</th>
                <th scope="col">Bookings</th>
                <th scope="col">Last booking</th>
                <th scope="col">Kind</th>
              </tr>
            </thead>
            <tbody>
              {result.customers.map((c) => (
                <Fragment key={c.id}>
                  <tr data-customer={c.id} className={open === c.id ? 'open' : undefined}>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        aria-expanded={open === c.id}
                        onClick={() => {
                          setNotice(null);
                          setOpen(open === c.id ? null : c.id);
                        }}
                      >
                        {customerName(c)}
                      </button>
                    </td>
                    <td>{c.email}</td>
                    <td>
                      {c.member_tier ? <span className="badge tier">{c.member_tier}</span> : '—'}
                      {c.vip_status && <span className="badge vip">VIP</span>}
                    </td>
                    <td>{c.total_bookings}</td>
                    <td>{c.last_booking_at ? dateTimeIn(c.last_booking_at, facility.timezone) : '—'}</td>
                    <td>
                      <AccountBadge customer={c} />
                    </td>
                  </tr>
                  {open === c.id && (
                    <tr className="panel-row">
                      <td colSpan={6}>
                        <MembershipPanel
                          customer={c}
                          tiers={tiers}
                          facilityName={facility.name}
                          canEdit={isAdmin}
                          onSaved={saved}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result && result.total > PAGE_SIZE && (
        <div className="row">
          <button
            type="button"
            className="btn small secondary"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          >
            Previous
          </button>
          <button
            type="button"
            className="btn small secondary"
            disabled={offset + PAGE_SIZE >= result.total}
            onClick={() => setOffset(offset + PAGE_SIZE)}
          >
            Next
          </button>
        </div>
      )}
      {!isAdmin && <p className="muted">You see the customers who booked at your facilities.</p>}
    </div>
  );
}

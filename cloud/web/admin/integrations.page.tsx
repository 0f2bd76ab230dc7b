import { useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import { dateTimeIn } from '../shared-ui/format.js';
import { ErrorNotice, Loading, StatusBadge } from '../shared-ui/ui.js';
import { type HubspotStatus, session } from './admin-api.js';

/** HubSpot sync state (the cloud's outbox worker). */
export function IntegrationsPage({ zone }: { zone: string }) {
  const [status, setStatus] = useState<HubspotStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    session
      .authed<HubspotStatus>('/admin/hubspot/status', { query: { limit: 20 } })
      .then(setStatus)
      .catch((e) => setError(errorText(e)));
  };
  useEffect(load, []);
  if (error) return <ErrorNotice title="HubSpot status could not be loaded" message={error} onRetry={load} />;
  if (!status) return <Loading label="Loading HubSpot sync state…" />;
  const state = !status.enabled ? 'not configured' : status.available ? 'connected' : 'unreachable';
  return (
    <section className="card stack" aria-labelledby="hubspot-h">
      <h3 id="hubspot-h">
        HubSpot CRM{' '}
        <span className={`badge ${status.available && status.enabled ? '' : 'maintenance'}`}>{state}</span>
      </h3>
      {!status.enabled && (
        <p className="muted">Set HUBSPOT_ACCESS_TOKEN on the cloud to sync customers and deals.</p>
      )}
      {status.paused_until && (
        <p>Paused until {dateTimeIn(status.paused_until, zone)} after HubSpot refused calls.</p>
      )}
      {status.last_error && <div className="alert warn">Last error: {status.last_error}</div>}
      <div className="figures">
        <div className="figure card">
          <span className="figure-label">Waiting to sync</span>
          <span className="figure-value">{status.totals.pending}</span>
        </div>
        <div className="figure card">
          <span className="figure-label">Failed</span>
          <span className="figure-value">{status.totals.failed}</span>
        </div>
      </div>
      {status.customers && status.customers.length > 0 && (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">State</th>
                <th scope="col">Last synced</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {status.customers.map((c) => (
                <tr key={c.customer_id}>
                  <td>{c.email}</td>
                  <td>
                    <StatusBadge status={c.state} />
                  </td>
                  <td>{c.last_synced_at ? dateTimeIn(c.last_synced_at, zone) : '—'}</td>
                  <td>{c.last_error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        Edge nodes: the cloud API has no endpoint listing edge nodes and their sync state yet; offline or
        missing edges appear under “Needs attention” on the overview.
      </p>
    </section>
  );
}

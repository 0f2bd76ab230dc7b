import {
  type Alert,
  type AuditEntry,
  type Booking,
  type ConsoleApi,
  clock,
  type SyncStatus,
} from './console-api.js';

export function SyncPanel({
  sync,
  attention,
  tz,
}: {
  sync: SyncStatus | null;
  attention: Booking[];
  tz: string;
}) {
  return (
    <section aria-labelledby="sync-title">
      <h2 id="sync-title">Cloud sync</h2>
      <div className="card">
        {sync === null ? (
          <p className="muted">Loading…</p>
        ) : (
          <dl className="facts">
            <dt>Link</dt>
            <dd>
              <span className={`chip ${sync.state === 'online' ? 'ok' : 'warn'}`} data-testid="sync-state">
                {sync.state}
              </span>
            </dd>
            <dt>Outbox</dt>
            <dd>
              {sync.outbox_pending} waiting
              {sync.outbox_rejected > 0 ? `, ${sync.outbox_rejected} refused` : ''}
            </dd>
            <dt>Last pull</dt>
            <dd>{sync.last_successful_pull ? clock(sync.last_successful_pull, tz) : 'never'}</dd>
            {sync.last_error ? (
              <>
                <dt>Last error</dt>
                <dd>{sync.last_error}</dd>
              </>
            ) : null}
          </dl>
        )}
        <h3>Walk-ins to resolve ({attention.length})</h3>
        {attention.length === 0 ? (
          <p className="muted">Nothing waiting.</p>
        ) : (
          <ul>
            {attention.map((b) => (
              <li key={b.id}>
                <code>{b.reference_code}</code> {clock(b.start_time, tz)} · {b.reconciliation}
                {b.reconciliation_note ? ` — ${b.reconciliation_note}` : ''}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

export function AlertsPanel({
  alerts,
  api,
  onDone,
}: {
  alerts: Alert[];
  api: ConsoleApi;
  onDone: () => void;
}) {
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts ({alerts.length})</h2>
      <div className="card">
        {alerts.length === 0 ? <p className="muted">No open alerts.</p> : null}
        <ul className="alerts">
          {alerts.map((a) => (
            <li key={a.id} className={`alert ${a.severity}`}>
              <strong>{a.kind.replaceAll('_', ' ')}</strong> {a.message}
              {a.occurrences > 1 ? ` (×${a.occurrences})` : ''}
              {a.acknowledged_at === null ? (
                <button type="button" onClick={() => void api.acknowledge(a.id).then(onDone)}>
                  Acknowledge
                </button>
              ) : (
                <span className="muted"> acknowledged</span>
              )}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

export function AuditPanel({ entries, tz }: { entries: AuditEntry[]; tz: string }) {
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <div className="card">
        <table className="audit">
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{clock(e.at, tz)}</td>
                <td>{e.kind}</td>
                <td>{e.actor ?? ''}</td>
                <td>{[e.decision, e.reason].filter(Boolean).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

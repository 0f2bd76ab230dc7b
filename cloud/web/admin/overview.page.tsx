import { useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type { DashboardResponse } from '../shared-ui/api-types.js';
import { money } from '../shared-ui/format.js';
import { ErrorNotice, Loading } from '../shared-ui/ui.js';
import { session } from './admin-api.js';
import { BarChart, OccupancyHeatmap } from './charts.js';

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="figure card">
      <span className="figure-label">{label}</span>
      <span className="figure-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

export function OverviewPage({ facilityId }: { facilityId: string }) {
  const [data, setData] = useState<DashboardResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    session
      .authed<DashboardResponse>('/admin/dashboard', { query: { facility_id: facilityId } })
      .then(setData)
      .catch((e) => setError(errorText(e)));
  };
  useEffect(load, [facilityId]);

  if (error) return <ErrorNotice title="The dashboard could not be loaded" message={error} onRetry={load} />;
  if (!data) return <Loading label="Loading today’s figures…" />;
  const short = (date: string) => date.slice(5).replace('-', '/');
  return (
    <div className="stack">
      <h2>Today · {data.date}</h2>
      <div className="figures">
        <Figure label="Bookings" value={String(data.today.bookings)} testId="fig-bookings" />
        <Figure label="Revenue" value={money(data.today.revenue_cents)} testId="fig-revenue" />
        <Figure label="Occupancy" value={`${data.today.occupancy.toFixed(1)}%`} testId="fig-occupancy" />
        <Figure label="Cancellations" value={String(data.today.cancellations)} testId="fig-cancellations" />
      </div>
      {data.alerts.length > 0 && (
        <section className="card stack" aria-labelledby="alerts-h">
          <h3 id="alerts-h">Needs attention</h3>
          <ul className="list">
            {data.alerts.map((a) => (
              <li
                key={`${a.type}-${a.simulator_id ?? ''}-${a.message}`}
                className={`alert ${a.severity === 'info' ? 'ok' : a.severity === 'warning' ? 'warn' : 'error'}`}
              >
                {a.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="grid-2 even">
        <section className="card">
          <h3>Occupancy by hour and weekday</h3>
          <OccupancyHeatmap cells={data.trends.heatmap} />
        </section>
        <section className="card">
          <h3>Revenue, last 14 days</h3>
          <BarChart
            testId="revenue-chart"
            title="Revenue per day, last 14 days"
            data={data.trends.days.map((d) => ({ label: short(d.date), value: d.revenue_cents }))}
            format={money}
          />
        </section>
        <section className="card">
          <h3>Cancellations and no-shows</h3>
          <BarChart
            title="Cancellations per day (green) with no-shows (gold)"
            extraLabel="no-shows"
            data={data.trends.days.map((d) => ({
              label: short(d.date),
              value: d.cancellations,
              extra: d.no_shows,
            }))}
          />
          <p className="muted">
            {data.trends.no_shows} no-shows in 14 days ({(data.trends.no_show_rate * 100).toFixed(1)}% of
            bookings).
          </p>
        </section>
        <section className="card">
          <h3>Bookings per day</h3>
          <BarChart
            title="Bookings per day, last 14 days"
            data={data.trends.days.map((d) => ({ label: short(d.date), value: d.bookings }))}
          />
        </section>
      </div>
    </div>
  );
}

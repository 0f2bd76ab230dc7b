import { money } from '../shared-ui/format.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Booked bay-minutes per weekday × hour as an SVG heatmap (darker = busier), with a text table for screen readers. */
export function OccupancyHeatmap({
  cells,
}: {
  cells: { weekday: number; hour: number; booked_minutes: number }[];
}) {
  const max = Math.max(1, ...cells.map((c) => c.booked_minutes));
  const value = (weekday: number, hour: number) =>
    cells.find((c) => c.weekday === weekday && c.hour === hour)?.booked_minutes ?? 0;
  const cell = 22;
  const left = 40;
  const top = 20;
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${left + 24 * cell} ${top + 7 * cell}`}
        role="img"
        aria-label="Occupancy by weekday and hour over the last 14 days"
        data-testid="heatmap"
      >
        {hours
          .filter((h) => h % 3 === 0)
          .map((h) => (
            <text key={h} x={left + h * cell + cell / 2} y={13} textAnchor="middle" className="axis">
              {h}
            </text>
          ))}
        {WEEKDAYS.map((name, d) => (
          <g key={name}>
            <text x={left - 6} y={top + d * cell + cell * 0.68} textAnchor="end" className="axis">
              {name}
            </text>
            {hours.map((h) => {
              const v = value(d, h);
              const alpha = v === 0 ? 0 : 0.12 + 0.88 * (v / max);
              return (
                <rect
                  key={h}
                  x={left + h * cell + 1}
                  y={top + d * cell + 1}
                  width={cell - 2}
                  height={cell - 2}
                  rx={3}
                  fill={v === 0 ? '#efede8' : `rgba(31, 95, 74, ${alpha.toFixed(3)})`}
                >
                  <title>{`${name} ${h}:00 — ${v} booked minutes`}</title>
                </rect>
              );
            })}
          </g>
        ))}
      </svg>
      <figcaption className="muted">
        Booked bay-minutes by local hour, last 14 days. Darker is busier.
      </figcaption>
    </figure>
  );
}

export interface BarDatum {
  label: string;
  value: number;
  /** A second series drawn stacked on top (e.g. no-shows on cancellations). */
  extra?: number;
}

/** A small bar chart; `format` renders the values for labels and the accessible table. */
export function BarChart({
  data,
  title,
  format = (v) => String(v),
  extraLabel,
  testId,
}: {
  data: BarDatum[];
  title: string;
  format?: (value: number) => string;
  extraLabel?: string;
  testId?: string;
}) {
  const width = 560;
  const height = 180;
  const bottom = 22;
  const max = Math.max(1, ...data.map((d) => d.value + (d.extra ?? 0)));
  const step = width / Math.max(1, data.length);
  const bar = Math.max(4, step * 0.62);
  const scale = (v: number) => (v / max) * (height - bottom - 16);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} data-testid={testId}>
        <line x1={0} x2={width} y1={height - bottom} y2={height - bottom} stroke="#d8d5ce" />
        {data.map((d, i) => {
          const x = i * step + (step - bar) / 2;
          const h1 = scale(d.value);
          const h2 = scale(d.extra ?? 0);
          return (
            <g key={d.label}>
              <rect x={x} y={height - bottom - h1} width={bar} height={h1} rx={2} fill="#1f5f4a">
                <title>{`${d.label}: ${format(d.value)}`}</title>
              </rect>
              {h2 > 0 && (
                <rect x={x} y={height - bottom - h1 - h2} width={bar} height={h2} rx={2} fill="#b8862b">
                  <title>{`${d.label}: ${extraLabel ?? ''} ${format(d.extra ?? 0)}`}</title>
                </rect>
              )}
              {(i % Math.ceil(data.length / 7) === 0 || i === data.length - 1) && (
                <text x={x + bar / 2} y={height - 6} textAnchor="middle" className="axis">
                  {d.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">
        {title}. Peak {format(Math.max(0, ...data.map((d) => d.value)))}
        {extraLabel ? ` (gold: ${extraLabel})` : ''}.
      </figcaption>
    </figure>
  );
}

export const moneyFormat = (cents: number) => money(cents);

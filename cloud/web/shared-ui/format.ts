/** Display helpers: every time a person sees is shown in the venue's zone, never the browser's. */

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = zone + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, ...options });
    cache.set(key, f);
  }
  return f;
}

/** Money as every face shows it ('$1,234.50', '-$4.50'). */
export { formatMoney as money } from '@clubos/shared/pricing';

/** "2:30 PM" in the venue's zone. */
export function timeIn(iso: string | number, zone: string): string {
  return formatter(zone, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** "Tue, Nov 25" in the venue's zone. */
export function dayIn(iso: string | number, zone: string): string {
  return formatter(zone, { weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(iso));
}

/** "Tue, Nov 25, 2:30 PM" in the venue's zone. */
export function dateTimeIn(iso: string | number, zone: string): string {
  return `${dayIn(iso, zone)}, ${timeIn(iso, zone)}`;
}

/** Short zone name such as "EST" for labels ("times in EST"). */
export function zoneLabel(zone: string, at: number = Date.now()): string {
  const part = formatter(zone, { timeZoneName: 'short' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** Today's date (YYYY-MM-DD) in the venue's zone. */
export function todayIn(zone: string, now: number = Date.now()): string {
  const parts = formatter(zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    new Date(now),
  );
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** YYYY-MM-DD plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** "Tuesday, November 25" for a calendar date (no zone involved). */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function minutesLabel(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

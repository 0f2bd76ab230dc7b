import type { ReceiptPage } from './receipts.service.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const when = (instant: Date | string, timezone: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone }).format(
    new Date(instant),
  );

/** A receipt as a printable page (no script, its own styles, print-friendly). */
export function renderReceiptPage({ receipt, booking, place, reference }: ReceiptPage): string {
  const title = receipt.kind === 'refund' ? 'Refund receipt' : 'Payment receipt';
  const rows: [string, string][] = [
    ['Venue', place.facilityName],
    ['Booking', booking.referenceCode],
    ['Bay', place.bayName],
    ['Time', `${when(booking.startTime, place.timezone)} – ${when(booking.endTime, place.timezone)}`],
    ['For', receipt.description],
    ['Date', when(receipt.created_at, place.timezone)],
    ['Status', receipt.status],
    ['Receipt no.', receipt.id],
    ...(reference ? ([['Card payment', reference]] as [string, string][]) : []),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${escapeHtml(booking.referenceCode)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
h1 { font-size: 1.4rem; margin-bottom: .25rem; }
.amount { font-size: 2rem; font-weight: 700; margin: 1rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1rem; }
dt { color: #555; }
dd { margin: 0; }
@media print { button { display: none; } body { margin: 0; } }
</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p>${escapeHtml(place.facilityName)}</p>
<p class="amount" data-testid="receipt-amount">${receipt.kind === 'refund' ? '−' : ''}${escapeHtml(receipt.amount)}</p>
<dl>
${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}
</dl>
</main>
</body>
</html>
`;
}

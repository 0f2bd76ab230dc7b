import { localWhen, type RenderedMessage } from './notification.templates.js';

/** What a staff alert's email says, read at send time. */
export interface StaffAlertFacts {
  messageId: number;
  status: string;
  alertId: number;
  userId: string;
  email: string | null;
  displayName: string | null;
  kind: string;
  severity: string;
  subject: string | null;
  message: string;
  raisedAt: Date;
  facilityName: string;
  timezone: string;
}

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The `staff_alert` template: the alert's line, kind, severity and time in the venue's zone. */
export function renderStaffAlert(f: StaffAlertFacts): RenderedMessage {
  const kind = f.kind.replace(/_/g, ' ');
  const lines: [string, string][] = [
    ['Alert', kind],
    ['Severity', f.severity],
    ...(f.subject ? [['Subject', f.subject] as [string, string]] : []),
    ['When', `${localWhen(f.raisedAt, f.timezone)} (${f.timezone})`],
    ['Venue', f.facilityName],
  ];
  const hello = f.displayName ? `Hi ${f.displayName},` : 'Hello,';
  const text = [hello, '', f.message, '', ...lines.map(([l, v]) => `${l}: ${v}`)].join('\n');
  const rows = lines.map(([l, v]) => `<tr><th align="left">${esc(l)}</th><td>${esc(v)}</td></tr>`).join('');
  const html = `<!doctype html><html><body style="font-family:sans-serif"><p>${esc(hello)}</p><h1>${esc(f.message)}</h1><table cellpadding="4">${rows}</table></body></html>`;
  return { subject: `[${f.severity}] ${f.facilityName}: ${kind}`, text, html };
}

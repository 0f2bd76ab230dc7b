import { KIND_LABELS } from '@clubos/shared/notifications';
import { formatMoney } from '@clubos/shared/pricing';
import { formatLocalTime, toLocal } from '@clubos/shared/time';
import { PAYMENT_LABEL } from '../payments/receipts.service.js';
import type { BookingFacts } from './notification.repository.js';

/** What a message says, in both forms every mail client can show. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export interface RenderContext {
  /** Where the customer may unsubscribe from this kind; undefined for messages they cannot refuse. */
  unsubscribeUrl?: string | undefined;
  /** The customer's page of every kind's channels (no login). */
  preferencesUrl?: string | undefined;
  /** A waitlist offer's one-tap accept link. */
  acceptUrl?: string | undefined;
  /** The cid of the inline QR image, when the message carries one. */
  qrCid?: string | undefined;
  /** A receipt's printable page (signed link, no login). */
  receiptUrl?: string | undefined;
  /** The "10 minutes left" offer's one-tap extend link. */
  extendUrl?: string | undefined;
}

/** An amount in the payment's currency (stored lower case, ISO 4217). */
export const moneyOf = (cents: number, currency: string) => formatMoney(cents, currency.toUpperCase());

/** What a no-show notice says about the policy's fee, as it stands when the notice is sent. */
export function noShowFeeLine(f: BookingFacts): string | undefined {
  const fee = f.noShowFee;
  if (!fee) return undefined;
  const amount = moneyOf(fee.amountCents, fee.currency);
  switch (fee.status) {
    case 'succeeded':
      return `${amount}, charged to your saved card`;
    case 'pending':
      return `${amount}, being charged to your saved card`;
    default:
      return `${amount}, owed to the venue (your card could not be charged)`;
  }
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Sat 2026-03-07 19:00" in the facility's zone (docs/decisions/001-time-and-zones.md). */
export function localWhen(at: Date, zone: string): string {
  const local = toLocal(at.getTime(), zone);
  return `${WEEKDAYS[local.dayOfWeek]} ${local.date} ${formatLocalTime(Math.floor(local.minutes))}`;
}

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The lines a message is made of, rendered once as text and once as HTML. */
interface Body {
  subject: string;
  heading: string;
  lines: [label: string, value: string][];
  note?: string;
  qr?: boolean;
  action?: { label: string; url: string } | undefined;
}

function bodyOf(kind: string, f: BookingFacts, context: RenderContext): Body {
  const when = `${localWhen(f.start, f.timezone)} – ${formatLocalTime(Math.floor(toLocal(f.end.getTime(), f.timezone).minutes))} (${f.timezone})`;
  const where: [string, string][] = [
    ['Venue', f.facilityName],
    ['Address', f.address ?? '—'],
    ['Bay', f.bayName],
    ['When', when],
    ['Reference', f.referenceCode],
  ];
  const door: [string, string][] =
    f.doorFrom && f.doorUntil
      ? [
          [
            'Doors open for you',
            `${localWhen(f.doorFrom, f.timezone)} – ${localWhen(f.doorUntil, f.timezone)}`,
          ],
        ]
      : [];
  const pin: [string, string][] = f.pin ? [['Door PIN', f.pin]] : [];
  switch (kind) {
    case 'confirmation':
      return {
        subject: `Booking confirmed: ${f.bayName}, ${localWhen(f.start, f.timezone)}`,
        heading: 'Your bay is booked',
        lines: [...where, ['Price', formatMoney(f.priceCents)], ...pin, ...door],
        note: 'Show the QR code at the door scanner, or enter your PIN. The calendar invite keeps your calendar up to date.',
        qr: true,
      };
    case 'reschedule':
      return {
        subject: `Booking moved: ${f.bayName}, ${localWhen(f.start, f.timezone)}`,
        heading: 'Your booking has a new time',
        lines: [...where, ['Price', formatMoney(f.priceCents)], ...pin, ...door],
        note: 'Your PIN is unchanged; the QR code below replaces the old one.',
        qr: true,
      };
    case 'cancellation':
      return {
        subject: `Booking cancelled: ${f.referenceCode}`,
        heading: 'Your booking is cancelled',
        lines: [...where, ['Refund', formatMoney(f.refundCents ?? 0)]],
      };
    case 'reminder':
      return {
        subject: `Reminder: ${f.bayName} at ${localWhen(f.start, f.timezone)}`,
        heading: f.offsetMinutes >= 24 * 60 ? 'See you tomorrow' : 'See you soon',
        lines: [...where, ...pin, ...door],
      };
    case 'waitlist_offer':
      return {
        subject: `A bay opened up: ${f.bayName}, ${localWhen(f.start, f.timezone)}`,
        heading: 'The time you were waiting for is free',
        lines: [
          ...where.filter(([label]) => label !== 'Reference'),
          ['Price', formatMoney(f.priceCents)],
          [
            'Held for you until',
            f.holdExpiresAt ? `${localWhen(f.holdExpiresAt, f.timezone)} (${f.timezone})` : '—',
          ],
        ],
        note: 'Accept before then and it is yours; after that it goes to the next person waiting.',
        action: context.acceptUrl ? { label: 'Accept this booking', url: context.acceptUrl } : undefined,
      };
    case 'check_in_welcome':
      return {
        subject: `Welcome to ${f.facilityName}: ${f.bayName} is yours`,
        heading: `Welcome in — ${f.bayName} is ready`,
        lines: where.filter(([label]) => label !== 'Address'),
        note: 'Enjoy your session. If you want more time, ask at the desk or extend from the bay screen.',
      };
    case 'no_show': {
      const fee = noShowFeeLine(f);
      return {
        subject: `Missed booking: ${f.bayName}, ${localWhen(f.start, f.timezone)}`,
        heading: 'We missed you',
        lines: [...where, ...(fee ? ([['No-show fee', fee]] as [string, string][]) : [])],
        note: 'Nobody checked in within the grace period, so the bay was released. If this is a mistake, reply to this email or call the venue.',
      };
    }
    case 'payment_receipt':
    case 'refund_receipt': {
      const r = f.receipt;
      const refund = kind === 'refund_receipt';
      const amount = r ? moneyOf(r.amountCents, r.currency) : '—';
      return {
        subject: `${refund ? 'Refund' : 'Receipt'}: ${amount} for booking ${f.referenceCode}`,
        heading: refund ? 'Your refund is on its way' : 'Thank you for your payment',
        lines: [
          [refund ? 'Refunded' : 'Paid', amount],
          [refund ? 'Reason' : 'How', r ? (refund ? r.what : (PAYMENT_LABEL[r.what] ?? 'Payment')) : '—'],
          ...where,
        ],
        ...(refund ? { note: 'Refunds reach your card in 5–10 business days, depending on your bank.' } : {}),
        action: context.receiptUrl
          ? { label: 'View or print the receipt', url: context.receiptUrl }
          : undefined,
      };
    }
    case 'extend_offer':
      return {
        subject: `10 minutes left on ${f.bayName}: extend?`,
        heading: 'Your session ends in 10 minutes',
        lines: where.filter(([label]) => label !== 'Address'),
        note: "The next slot on your bay is free. Tap to keep playing; the price follows the venue's rates.",
        action: context.extendUrl ? { label: 'Extend my session', url: context.extendUrl } : undefined,
      };
    default:
      throw new Error(`no template for ${kind}`);
  }
}

/** What "Unsubscribe from …" names for a kind. */
export function unsubscribeLabel(kind: string): string {
  const label = (KIND_LABELS as Record<string, string>)[kind];
  return label ? label.toLowerCase() : kind;
}

/**
 * Renders a message as plain text and HTML with typed functions: the messages are a few labelled
 * lines, and a template engine (MJML, react-email) would add a dependency and a compile step for
 * no layout we need (docs/decisions/011-notifications-outbox.md).
 */
export function renderMessage(
  kind: string,
  facts: BookingFacts,
  context: RenderContext = {},
): RenderedMessage {
  const body = bodyOf(kind, facts, context);
  const hello = facts.firstName ? `Hi ${facts.firstName},` : 'Hello,';
  const text = [
    hello,
    '',
    body.heading,
    '',
    ...body.lines.map(([label, value]) => `${label}: ${value}`),
    ...(body.note ? ['', body.note] : []),
    ...(body.action ? ['', `${body.action.label}: ${body.action.url}`] : []),
    ...(context.unsubscribeUrl
      ? ['', `Unsubscribe from ${unsubscribeLabel(kind)}: ${context.unsubscribeUrl}`]
      : []),
    ...(context.preferencesUrl ? [`Manage your notifications: ${context.preferencesUrl}`] : []),
  ].join('\n');
  const rows = body.lines
    .map(([label, value]) => `<tr><th align="left">${esc(label)}</th><td>${esc(value)}</td></tr>`)
    .join('');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>${esc(hello)}</p><h1>${esc(body.heading)}</h1>`,
    `<table cellpadding="4">${rows}</table>`,
    body.qr && context.qrCid
      ? `<p><img src="cid:${context.qrCid}" alt="Door QR code" width="240" height="240"></p>`
      : '',
    body.note ? `<p>${esc(body.note)}</p>` : '',
    body.action
      ? `<p><a href="${esc(body.action.url)}" style="background:#1a7f37;color:#fff;padding:12px 20px;text-decoration:none;border-radius:6px">${esc(body.action.label)}</a></p>`
      : '',
    context.unsubscribeUrl
      ? `<p><a href="${esc(context.unsubscribeUrl)}">Unsubscribe from ${esc(unsubscribeLabel(kind))}</a></p>`
      : '',
    context.preferencesUrl
      ? `<p><a href="${esc(context.preferencesUrl)}">Manage your notifications</a></p>`
      : '',
    '</body></html>',
  ].join('');
  return { subject: body.subject, text, html };
}

/**
 * A Message resource as the simulator keeps it, and its JSON as the 2010-04-01 API answers it
 * (snake_case, RFC 2822 dates, `num_segments` as a string, `price` null until billed).
 */
export type MessageStatus =
  | 'accepted'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'received';

export type MessageDirection = 'outbound-api' | 'outbound-reply' | 'inbound';

export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'undelivered',
  'failed',
  'received',
]);

export interface StoredMessage {
  sid: string;
  accountSid: string;
  /** Null until a Messaging Service picks a sender. */
  from: string | null;
  to: string;
  body: string;
  status: MessageStatus;
  direction: MessageDirection;
  numSegments: number;
  mediaUrls: string[];
  messagingServiceSid: string | null;
  statusCallback: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  price: string | null;
  /** Epoch ms. */
  dateCreated: number;
  dateUpdated: number;
  dateSent: number | null;
}

export const API_VERSION = '2010-04-01';
/** What one outbound US segment costs; a fixed made-up price is enough for a stand-in. */
export const PRICE_PER_SEGMENT = 0.0079;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `Thu, 30 Jul 2015 20:12:31 +0000`, Twilio's date format (not `toUTCString`'s `GMT`). */
export function rfc2822(ms: number): string {
  const d = new Date(ms);
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

export function messageUri(accountSid: string, sid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`;
}

export function toResource(m: StoredMessage): Record<string, unknown> {
  const base = `/${API_VERSION}/Accounts/${m.accountSid}/Messages/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: API_VERSION,
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: m.dateSent === null ? null : rfc2822(m.dateSent),
    date_updated: rfc2822(m.dateUpdated),
    direction: m.direction,
    error_code: m.errorCode,
    error_message: m.errorMessage,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: String(m.mediaUrls.length),
    num_segments: String(m.numSegments),
    price: m.price,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    to: m.to,
    uri: `${base}.json`,
  };
}

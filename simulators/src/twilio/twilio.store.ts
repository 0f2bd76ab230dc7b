import { randomBytes } from 'node:crypto';
import { API_VERSION, type StoredMessage, toResource } from './twilio.message.js';

/** `SM` + 32 hex digits, like every Twilio message SID. */
export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

export interface ListQuery {
  to?: string;
  from?: string;
  /** Epoch ms bounds on `date_sent` (the `DateSent`, `DateSent<`, `DateSent>` filters). */
  sentOn?: number;
  sentBefore?: number;
  sentAfter?: number;
  pageSize: number;
  page: number;
}

const DAY_MS = 86_400_000;

/** Every message of the account, in creation order; lists answer newest first, like Twilio. */
export class MessageStore {
  private bySid = new Map<string, StoredMessage>();
  private ordered: StoredMessage[] = [];

  add(message: StoredMessage): void {
    this.bySid.set(message.sid, message);
    this.ordered.push(message);
  }

  get(sid: string): StoredMessage | undefined {
    return this.bySid.get(sid);
  }

  delete(sid: string): void {
    if (!this.bySid.delete(sid)) return;
    this.ordered = this.ordered.filter((m) => m.sid !== sid);
  }

  all(): StoredMessage[] {
    return [...this.ordered];
  }

  get size(): number {
    return this.ordered.length;
  }

  clear(): void {
    this.bySid.clear();
    this.ordered = [];
  }

  /** One page of a filtered list, in the 2010-04-01 page envelope the SDK's `Page` reads. */
  page(accountSid: string, query: ListQuery): Record<string, unknown> {
    const matches: StoredMessage[] = [];
    for (let i = this.ordered.length - 1; i >= 0; i--) {
      const m = this.ordered[i] as StoredMessage;
      if (query.to !== undefined && m.to !== query.to) continue;
      if (query.from !== undefined && m.from !== query.from) continue;
      if (query.sentOn !== undefined || query.sentBefore !== undefined || query.sentAfter !== undefined) {
        if (m.dateSent === null) continue;
        if (query.sentOn !== undefined && (m.dateSent < query.sentOn || m.dateSent >= query.sentOn + DAY_MS))
          continue;
        if (query.sentBefore !== undefined && m.dateSent >= query.sentBefore) continue;
        if (query.sentAfter !== undefined && m.dateSent < query.sentAfter) continue;
      }
      matches.push(m);
    }
    const start = query.page * query.pageSize;
    const slice = matches.slice(start, start + query.pageSize);
    const path = `/${API_VERSION}/Accounts/${accountSid}/Messages.json`;
    const pageUri = (page: number) => {
      const params = new URLSearchParams();
      if (query.to !== undefined) params.set('To', query.to);
      if (query.from !== undefined) params.set('From', query.from);
      params.set('PageSize', String(query.pageSize));
      params.set('Page', String(page));
      return `${path}?${params.toString()}`;
    };
    return {
      messages: slice.map(toResource),
      end: start + Math.max(slice.length - 1, 0),
      first_page_uri: pageUri(0),
      next_page_uri: start + query.pageSize < matches.length ? pageUri(query.page + 1) : null,
      page: query.page,
      page_size: query.pageSize,
      previous_page_uri: query.page > 0 ? pageUri(query.page - 1) : null,
      start,
      uri: pageUri(query.page),
    };
  }
}

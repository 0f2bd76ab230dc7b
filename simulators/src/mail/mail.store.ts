import type { AddressObject, ParsedMail } from 'mailparser';

export interface MailAddress {
  name: string;
  address: string;
}

export interface StoredAttachment {
  filename: string | null;
  contentType: string;
  contentDisposition: string | null;
  /** Content-ID without angle brackets (inline images). */
  cid: string | null;
  size: number;
  /** MD5 of the content, hex. */
  checksum: string;
  content: Buffer;
}

/** One message as received: the SMTP envelope, the parsed MIME message, and the raw bytes. */
export interface StoredMail {
  id: string;
  /** Epoch ms. */
  receivedAt: number;
  envelope: { from: string | null; to: string[] };
  messageId: string | null;
  subject: string;
  date: string | null;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  /** Raw header values by lowercase name, unfolded; a repeated header gives an array. */
  headers: Record<string, string | string[]>;
  text: string | null;
  html: string | null;
  attachments: StoredAttachment[];
  raw: Buffer;
}

/** What a test or the HTTP API can wait for; every given field must match. */
export interface MailMatch {
  /** An envelope recipient or a To/Cc address, case-insensitive. */
  to?: string;
  from?: string;
  subject?: string | RegExp;
}

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((group) => group.value.map((a) => ({ name: a.name, address: a.address ?? '' })));
}

function rawHeaders(parsed: ParsedMail): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const { key, line } of parsed.headerLines) {
    const value = line
      .replace(/\r?\n[ \t]+/g, ' ')
      .slice(line.indexOf(':') + 1)
      .trim();
    const existing = headers[key];
    if (existing === undefined) headers[key] = value;
    else headers[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return headers;
}

export function toStoredMail(
  id: string,
  parsed: ParsedMail,
  envelope: StoredMail['envelope'],
  raw: Buffer,
  receivedAt: number,
): StoredMail {
  return {
    id,
    receivedAt,
    envelope,
    messageId: parsed.messageId ?? null,
    subject: parsed.subject ?? '',
    date: parsed.date ? parsed.date.toISOString() : null,
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    replyTo: addresses(parsed.replyTo),
    headers: rawHeaders(parsed),
    text: parsed.text ?? null,
    html: typeof parsed.html === 'string' ? parsed.html : null,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? null,
      contentType: a.contentType,
      contentDisposition: a.contentDisposition ?? null,
      cid: a.cid ?? null,
      size: a.size,
      checksum: a.checksum,
      content: a.content,
    })),
    raw,
  };
}

export function matches(mail: StoredMail, match: MailMatch): boolean {
  if (match.to !== undefined) {
    const wanted = match.to.toLowerCase();
    const all = [...mail.envelope.to, ...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address)];
    if (!all.some((a) => a.toLowerCase() === wanted)) return false;
  }
  if (match.from !== undefined) {
    const wanted = match.from.toLowerCase();
    const all = [mail.envelope.from ?? '', ...mail.from.map((a) => a.address)];
    if (!all.some((a) => a.toLowerCase() === wanted)) return false;
  }
  if (typeof match.subject === 'string' && mail.subject !== match.subject) return false;
  if (match.subject instanceof RegExp && !match.subject.test(mail.subject)) return false;
  return true;
}

interface Waiter {
  accept: (mail: StoredMail) => boolean;
  resolve: (mail: StoredMail) => void;
}

/**
 * Received messages in memory, oldest first, at most `max` (the oldest tenth goes when full, so a
 * long demo does not grow without bound), with waiters for the next matching message.
 */
export class MailStore {
  private mails: StoredMail[] = [];
  private waiters = new Set<Waiter>();
  private total = 0;

  constructor(private readonly max: number) {}

  add(mail: StoredMail): void {
    this.mails.push(mail);
    this.total += 1;
    if (this.mails.length > this.max) this.mails.splice(0, Math.max(1, Math.floor(this.max / 10)));
    for (const waiter of this.waiters) if (waiter.accept(mail)) waiter.resolve(mail);
  }

  list(match: MailMatch = {}): StoredMail[] {
    return this.mails.filter((m) => matches(m, match));
  }

  get(id: string): StoredMail | undefined {
    return this.mails.find((m) => m.id === id);
  }

  /** Messages received since start, including any the cap dropped. */
  get received(): number {
    return this.total;
  }

  clear(): void {
    this.mails = [];
  }

  /** The first stored message that matches, or the next one to arrive within `timeoutMs`. */
  waitFor(match: MailMatch, timeoutMs: number): Promise<StoredMail> {
    const existing = this.mails.find((m) => matches(m, match));
    if (existing) return Promise.resolve(existing);
    return this.wait(
      (mail) => matches(mail, match),
      timeoutMs,
      () => `a message matching ${describe(match)}`,
    );
  }

  /** Resolves once `count` messages have been received in all (for load runs). */
  async waitForCount(count: number, timeoutMs: number): Promise<void> {
    if (this.total >= count) return;
    await this.wait(
      () => this.total >= count,
      timeoutMs,
      () => `${count} messages (got ${this.total})`,
    );
  }

  private wait(
    accept: (mail: StoredMail) => boolean,
    timeoutMs: number,
    what: () => string,
  ): Promise<StoredMail> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        accept,
        resolve: (mail) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(mail);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`mail server: no ${what()} within ${timeoutMs} ms (${this.total} received)`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}

function describe(match: MailMatch): string {
  return JSON.stringify({
    ...match,
    subject: match.subject instanceof RegExp ? String(match.subject) : match.subject,
  });
}

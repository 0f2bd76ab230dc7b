/**
 * SMTP refusals a test switches on to watch the mail outbox cope: the next transactions refused
 * (421 service unavailable, 451 try again later, 452/552 storage, 554 rejected: `MAIL FROM` answers
 * the code, so no message is taken), and recipients that bounce (550 at `RCPT TO`).
 */
export interface SmtpRefusal {
  code: number;
  message: string;
}

const DEFAULT_TEXT: Record<number, string> = {
  421: 'Service not available, closing transmission channel',
  450: 'Requested mail action not taken: mailbox unavailable',
  451: 'Requested action aborted: try again later',
  452: 'Insufficient system storage',
  550: 'Mailbox unavailable',
  552: 'Exceeded storage allocation',
  553: 'Mailbox name not allowed',
  554: 'Transaction failed',
};

export function smtpRefusal(code: number, message?: string): SmtpRefusal {
  if (!Number.isInteger(code) || code < 400 || code > 599)
    throw new RangeError(`code: an SMTP error code 400-599, got ${code}`);
  return { code, message: message ?? DEFAULT_TEXT[code] ?? 'Refused' };
}

export class MailFaults {
  private queue: Array<SmtpRefusal & { remaining: number }> = [];
  private recipients = new Map<string, SmtpRefusal>();

  /** The next `count` transactions are refused with `code`. */
  refuseNext(code: number, count = 1, message?: string): void {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`count: a positive integer, got ${count}`);
    this.queue.push({ ...smtpRefusal(code, message), remaining: count });
  }

  /** Every message to `address` is refused at RCPT TO (550 unless told). */
  refuseRecipient(address: string, code = 550, message?: string): void {
    if (!address.includes('@')) throw new RangeError(`address: an e-mail address, got "${address}"`);
    this.recipients.set(address.toLowerCase(), smtpRefusal(code, message));
  }

  /** Consumed once per transaction, at MAIL FROM. */
  nextTransaction(): SmtpRefusal | null {
    const head = this.queue[0];
    if (!head) return null;
    head.remaining -= 1;
    if (head.remaining <= 0) this.queue.shift();
    return { code: head.code, message: head.message };
  }

  recipient(address: string): SmtpRefusal | null {
    return this.recipients.get(address.toLowerCase()) ?? null;
  }

  snapshot(): {
    queued: Array<SmtpRefusal & { remaining: number }>;
    recipients: Record<string, SmtpRefusal>;
  } {
    return { queued: this.queue.map((q) => ({ ...q })), recipients: Object.fromEntries(this.recipients) };
  }

  reset(): void {
    this.queue = [];
    this.recipients.clear();
  }
}

import { badRequest, invalidState, notFound } from '@clubos/shared/errors';
import type { MessageRow, NotificationRepository } from './notification.repository.js';
import type { UnsubscribeTokens } from './unsubscribe-token.js';

export interface MessageView {
  id: number;
  booking_id: string;
  kind: string;
  version: number;
  offset_minutes: number;
  status: string;
  attempts: number;
  recipient: string | null;
  last_error: string | null;
  message_id: string | null;
  created_at: string;
  sent_at: string | null;
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

export function toMessageView(row: MessageRow): MessageView {
  return {
    id: Number(row.id),
    booking_id: row.booking_id,
    kind: row.kind,
    version: Number(row.version),
    offset_minutes: Number(row.offset_minutes),
    status: row.status,
    attempts: Number(row.attempts),
    recipient: row.recipient,
    last_error: row.last_error,
    message_id: row.message_id,
    created_at: iso(row.created_at)!,
    sent_at: iso(row.sent_at),
  };
}

/** What admin sees of the notifications (counts, failures, manual retry) and the unsubscribe link. */
export class NotificationStatusService {
  constructor(
    private readonly repo: NotificationRepository,
    private readonly tokens: UnsubscribeTokens,
    /** False without SMTP_URL: messages wait in the outbox. */
    readonly enabled: boolean,
  ) {}

  async status(
    limit: number,
  ): Promise<{ enabled: boolean; counts: Record<string, number>; failed: MessageView[] }> {
    const { counts, failed } = await this.repo.status(limit);
    return { enabled: this.enabled, counts, failed: failed.map(toMessageView) };
  }

  async retry(id: number): Promise<MessageView> {
    const row = await this.repo.requeue(id);
    if (row) return toMessageView(row);
    if (!(await this.repo.exists(id))) throw notFound('notification', String(id));
    throw invalidState(`notification ${id} is not failed; only a failed message is sent again`);
  }

  /** Unsubscribes the token's address from reminders; the token proves it received one. */
  async unsubscribe(token: string): Promise<string> {
    const email = this.tokens.verify(token);
    if (!email) throw badRequest('token', 'the unsubscribe link is not valid (token does not match)');
    await this.repo.unsubscribe(email);
    return email;
  }
}

import type {
  InAppNotification,
  InAppNotificationList,
} from '@clubos/shared/api/in-app-notifications.schemas';
import { notFound } from '@clubos/shared/errors';
import { formatMoney } from '@clubos/shared/pricing';
import { formatLocalTime, toLocal } from '@clubos/shared/time';
import type { InAppNotificationRepository, InAppRow } from './in-app.repository.js';
import { localWhen, moneyOf } from './notification.templates.js';

/** The short title and line an in-app entry shows (the email says the same at length). */
export function inAppText(r: InAppRow): { title: string; body: string } {
  const until = formatLocalTime(Math.floor(toLocal(r.end.getTime(), r.timezone).minutes));
  const what = `${r.bayName} at ${r.facilityName}, ${localWhen(r.start, r.timezone)} – ${until} (ref ${r.referenceCode})`;
  switch (r.kind) {
    case 'confirmation':
      return { title: 'Booking confirmed', body: what };
    case 'reschedule':
      return { title: 'Booking moved', body: `Now ${what}` };
    case 'cancellation':
      return {
        title: 'Booking cancelled',
        body: r.refundCents ? `${what}. Refund: ${formatMoney(r.refundCents)}` : what,
      };
    case 'reminder': {
      const hours = r.offsetMinutes / 60;
      const soon = Number.isInteger(hours) ? `${hours} h` : `${r.offsetMinutes} min`;
      return { title: `Your booking starts in ${soon}`, body: what };
    }
    case 'waitlist_offer':
      return { title: 'A time you waited for is free', body: `${what}. Accept it under My bookings.` };
    case 'check_in_welcome':
      return {
        title: `Welcome to ${r.facilityName}`,
        body: `${r.bayName} is ready for you (ref ${r.referenceCode})`,
      };
    case 'no_show':
      return {
        title: 'You missed your booking',
        body: r.money ? `${what}. No-show fee: ${moneyOf(r.money.amountCents, r.money.currency)}` : what,
      };
    case 'payment_receipt':
    case 'refund_receipt': {
      const amount = r.money ? moneyOf(r.money.amountCents, r.money.currency) : '';
      const refund = r.kind === 'refund_receipt';
      return {
        title: refund ? `Refund of ${amount} sent` : `Payment of ${amount} received`,
        body: `${what}. The receipt is under My bookings.`,
      };
    }
    case 'extend_offer':
      return {
        title: '10 minutes left: extend?',
        body: `The next slot on ${r.bayName} is free. Extend with the link we texted you, or at the desk (ref ${r.referenceCode})`,
      };
    default:
      return { title: r.kind, body: what };
  }
}

function view(r: InAppRow): InAppNotification {
  return {
    id: r.id,
    kind: r.kind,
    ...inAppText(r),
    booking_id: r.bookingId,
    reference_code: r.referenceCode,
    created_at: r.createdAt.toISOString(),
    read_at: r.readAt ? r.readAt.toISOString() : null,
  };
}

/** A customer's in-app notifications: the list, the unread count, marking one read. */
export class InAppNotificationService {
  constructor(
    private readonly repo: InAppNotificationRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async list(customerId: string, limit = 50): Promise<InAppNotificationList> {
    const [rows, unread] = await Promise.all([
      this.repo.list(customerId, limit),
      this.repo.unread(customerId),
    ]);
    return { notifications: rows.map(view), unread };
  }

  /** Marks the customer's own message read; another customer's id is "not found", not "forbidden". */
  async markRead(customerId: string, id: number): Promise<{ notification: InAppNotification }> {
    if (!(await this.repo.find(customerId, id))) throw notFound('notification', String(id));
    await this.repo.markRead(id, new Date(this.now()));
    const row = await this.repo.find(customerId, id);
    return { notification: view(row!) };
  }

  /** The newest message id of the customer, which the live stream watches. */
  head(customerId: string): Promise<number> {
    return this.repo.head(customerId);
  }
}

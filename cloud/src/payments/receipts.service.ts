import { badRequest, notFound, unauthorized } from '@clubos/shared/errors';
import { formatMoney } from '@clubos/shared/pricing';
import type { Principal } from '../auth/index.js';
import type { BookingRepository, BookingRow } from '../bookings/booking.repository.js';
import { assertCanSee } from '../bookings/booking.support.js';
import type { ManageTokens } from '../guest-access/manage-token.js';
import type { LinkTokens } from '../notifications/link-tokens.js';
import type { PaymentRow, PaymentsRepository, RefundRow } from './payments.repository.js';
import type { ReceiptPlace, ReceiptsRepository } from './receipts.repository.js';

export interface Receipt {
  id: string;
  kind: 'payment' | 'refund';
  description: string;
  amount_cents: number;
  currency: string;
  amount: string;
  status: string;
  created_at: string;
  url: string;
}

/** One receipt with what its printable page shows about the booking. */
export interface ReceiptPage {
  receipt: Receipt;
  booking: Pick<BookingRow, 'referenceCode' | 'startTime' | 'endTime'>;
  place: ReceiptPlace;
  /** The card payment's provider id, for the venue's and the bank's records. */
  reference: string | null;
}

/** Who asks: a signed-in user, or a guest with the booking's manage token. */
export interface ReceiptCaller {
  principal: Principal | null;
  manageToken: string | undefined;
  /** The signed link of a receipt email (`receipt` purpose, `<booking>.<receipt>`): that receipt only. */
  linkToken?: string | undefined;
}

/** How a payment was made, as its receipt page and the receipt email name it. */
export const PAYMENT_LABEL: Record<string, string> = {
  online: 'Booking paid online',
  terminal: 'Paid by card at the venue',
  cash: 'Paid in cash at the venue',
  no_show_fee: 'No-show fee',
};

const money = (cents: number, currency: string) => formatMoney(cents, currency.toUpperCase());

/**
 * Receipts of a booking: one per succeeded payment and per refund that was not refused, opened by
 * whoever may see the booking (its customer, its venue's staff, an admin, or a guest's manage link).
 */
export class ReceiptsService {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly payments: PaymentsRepository,
    private readonly places: ReceiptsRepository,
    private readonly manageTokens: ManageTokens,
    private readonly links?: LinkTokens,
  ) {}

  async list(caller: ReceiptCaller, bookingId: string): Promise<Receipt[]> {
    await this.authorised(caller, bookingId);
    return this.receiptsOf(bookingId);
  }

  async page(caller: ReceiptCaller, bookingId: string, receiptId: string): Promise<ReceiptPage> {
    const row = caller.linkToken
      ? await this.linked(caller.linkToken, bookingId, receiptId)
      : await this.authorised(caller, bookingId);
    const receipt = (await this.receiptsOf(bookingId)).find((r) => r.id === receiptId);
    if (!receipt) throw notFound('receipt', receiptId);
    const place = await this.places.placeOf(row.simulatorId);
    if (!place) throw notFound('booking', bookingId);
    const paid = await this.payments.paymentsOf(bookingId);
    const refunds = await this.payments.refundsOf(bookingId);
    const payment =
      receipt.kind === 'payment'
        ? paid.find((p) => p.id === receipt.id)
        : paid.find((p) => p.id === refunds.find((r) => r.id === receipt.id)?.paymentId);
    return { receipt, booking: row, place, reference: payment?.providerPaymentId ?? null };
  }

  private async linked(token: string, bookingId: string, receiptId: string): Promise<BookingRow> {
    if (this.links?.verify('receipt', token) !== `${bookingId}.${receiptId}`) {
      throw badRequest('token', 'the receipt link is not valid (token does not match this receipt)');
    }
    const row = await this.bookings.findById(bookingId);
    if (!row) throw notFound('booking', bookingId);
    return row;
  }

  private async authorised(caller: ReceiptCaller, bookingId: string): Promise<BookingRow> {
    if (caller.manageToken) this.manageTokens.assertFor(caller.manageToken, bookingId);
    else if (!caller.principal) throw unauthorized();
    const row = await this.bookings.findById(bookingId);
    if (!row || (row.status === 'pending' && row.holdExpiresAt)) throw notFound('booking', bookingId);
    if (!caller.manageToken) assertCanSee(caller.principal, row);
    return row;
  }

  private async receiptsOf(bookingId: string): Promise<Receipt[]> {
    const url = (id: string) => `/api/v1/bookings/${bookingId}/receipts/${id}`;
    const ofPayment = (p: PaymentRow): Receipt => ({
      id: p.id,
      kind: 'payment',
      description: PAYMENT_LABEL[p.kind] ?? 'Payment',
      amount_cents: p.amountCents,
      currency: p.currency,
      amount: money(p.amountCents, p.currency),
      status: p.status,
      created_at: (p.succeededAt ?? p.createdAt).toISOString(),
      url: url(p.id),
    });
    const paid = await this.payments.paymentsOf(bookingId);
    const currencyOf = new Map(paid.map((p) => [p.id, p.currency]));
    const ofRefund = (r: RefundRow): Receipt => {
      const currency = currencyOf.get(r.paymentId) ?? 'usd';
      return {
        id: r.id,
        kind: 'refund',
        description: `Refund: ${r.reason}`,
        amount_cents: r.amountCents,
        currency,
        amount: money(r.amountCents, currency),
        status: r.status,
        created_at: r.createdAt.toISOString(),
        url: url(r.id),
      };
    };
    const refunds = await this.payments.refundsOf(bookingId);
    return [
      ...paid.filter((p) => p.status === 'succeeded').map(ofPayment),
      ...refunds.filter((r) => r.status !== 'failed').map(ofRefund),
    ].sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
}

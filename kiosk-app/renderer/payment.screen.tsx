import { formatMoney } from '@clubos/shared/pricing';
import type { TerminalPayment } from './kiosk-api.js';

/** While the venue's card reader asks for the card: the amount, what to do, and a way out. */
export function PaymentScreen({
  payment,
  bayName,
  onCancel,
}: {
  payment: TerminalPayment;
  bayName: string;
  onCancel: () => void;
}) {
  return (
    <section className="screen" aria-labelledby="pay-title">
      <h1 id="pay-title">Tap or insert your card on the reader</h1>
      <p className="lead" data-testid="pay-amount">
        {bayName} · {formatMoney(payment.amount_cents)}
      </p>
      <p className="muted" role="status" data-testid="pay-status">
        {payment.status === 'authorized' ? 'Card accepted, booking your bay…' : 'Waiting for your card…'}
      </p>
      <button type="button" className="ghost wide" onClick={onCancel}>
        Cancel payment
      </button>
    </section>
  );
}

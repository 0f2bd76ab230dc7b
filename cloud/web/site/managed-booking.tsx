import type { ManagedBooking } from '@clubos/shared/api';
import { useCallback, useState } from 'react';
import { dateTimeIn, minutesLabel, money, timeIn } from '../shared-ui/format.js';
import { StatusBadge } from '../shared-ui/ui.js';
import { DoorCodes, RefundConfirm } from './booking-parts.js';
import { DoorQr } from './door-qr.js';
import { cancelManaged, fetchManagedReceipts, rescheduleManaged } from './guest-api.js';
import { ReceiptsPanel } from './receipts-panel.js';
import { RescheduleForm } from './reschedule-form.js';

/** Cancel with the refund the server's policy gives now, shown before the button that does it. */
function GuestCancelPanel({
  view,
  token,
  onDone,
}: {
  view: ManagedBooking;
  token: string;
  onDone: (message: string) => void;
}) {
  const { booking, cancellation } = view;
  if (!cancellation) return null;
  return (
    <RefundConfirm
      booking={booking}
      preview={cancellation}
      cancel={() => cancelManaged(booking.id, token)}
      onDone={onDone}
    />
  );
}

/** One booking as its guest manages it: door codes, details, cancel and reschedule. */
export function ManagedBookingCard({
  view,
  token,
  onChanged,
}: {
  view: ManagedBooking;
  token: string;
  onChanged: (message: string) => void;
}) {
  const [open, setOpen] = useState<'cancel' | 'reschedule' | 'receipts' | null>(null);
  const loadReceipts = useCallback(
    () => fetchManagedReceipts(view.booking.id, token),
    [view.booking.id, token],
  );
  const receiptHeaders = useCallback(() => ({ 'x-manage-token': token }), [token]);
  const { booking } = view;
  const zone = view.facility_timezone;
  const done = (message: string) => {
    setOpen(null);
    onChanged(message);
  };
  const toggle = (action: 'cancel' | 'reschedule' | 'receipts') => setOpen(open === action ? null : action);
  return (
    <div className="grid-2" data-booking={booking.id}>
      <div className="card stack">
        <h2>Getting in</h2>
        <DoorQr token={booking.qr_code} code={booking.reference_code} />
        <DoorCodes booking={booking} />
      </div>
      <div className="card stack">
        <h2>Details</h2>
        <dl className="details">
          <div>
            <dt>When</dt>
            <dd data-testid="when">
              {dateTimeIn(booking.start_time, zone)} – {timeIn(booking.end_time, zone)} (
              {minutesLabel(booking.duration)})
            </dd>
          </div>
          <div>
            <dt>Where</dt>
            <dd>
              {view.bay_name}, {view.facility_name}
            </dd>
          </div>
          <div>
            <dt>Price</dt>
            <dd>{money(booking.price_cents)}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={booking.status} />
              {booking.status === 'cancelled' &&
                booking.refund_cents !== null &&
                ` · refunded ${money(booking.refund_cents)}`}
            </dd>
          </div>
        </dl>
        {(view.cancellation || view.can_reschedule) && (
          <div className="row">
            {view.can_reschedule && (
              <button
                type="button"
                className="btn small secondary"
                aria-expanded={open === 'reschedule'}
                onClick={() => toggle('reschedule')}
              >
                Reschedule
              </button>
            )}
            {view.cancellation && (
              <button
                type="button"
                className="btn small secondary"
                aria-expanded={open === 'cancel'}
                onClick={() => toggle('cancel')}
              >
                Cancel…
              </button>
            )}
          </div>
        )}
        <div className="row">
          <button
            type="button"
            className="btn small secondary"
            aria-expanded={open === 'receipts'}
            onClick={() => toggle('receipts')}
          >
            Receipts
          </button>
        </div>
        {open === 'receipts' && <ReceiptsPanel load={loadReceipts} headers={receiptHeaders} />}
        {open === 'cancel' && <GuestCancelPanel view={view} token={token} onDone={done} />}
        {open === 'reschedule' && (
          <RescheduleForm
            booking={booking}
            venue={{ id: booking.facility_id, timezone: zone }}
            onDone={done}
            move={(b, start) => rescheduleManaged(b.id, token, start)}
          />
        )}
      </div>
    </div>
  );
}

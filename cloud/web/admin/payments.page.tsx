import type {
  BookingPaymentsResponse,
  FacilityPaymentsResponse,
  PaymentItem,
  RefundItem,
} from '@clubos/shared/api/payment-reports.schemas';
import { useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import { dateTimeIn, money, todayIn } from '../shared-ui/format.js';
import { Empty, ErrorNotice, Field, Loading, StatusBadge } from '../shared-ui/ui.js';
import { session } from './admin-api.js';
import { PaymentPolicyPanel } from './payment-policy.panel.js';

const cash = (cents: number, currency: string) => money(cents, currency.toUpperCase());

type Totals = FacilityPaymentsResponse['totals'];
type Due = FacilityPaymentsResponse['to_collect'][number];

/** Walk-ins the edge sold while offline: what they owe, and who settled them at the desk. */
function ToCollect({ dues, zone }: { dues: Due[]; zone: string }) {
  if (dues.length === 0) return <Empty>Nothing sold offline to collect.</Empty>;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="to-collect">
        <thead>
          <tr>
            <th scope="col">Sold offline</th>
            <th scope="col">Booking</th>
            <th scope="col">Owed</th>
            <th scope="col">Status</th>
            <th scope="col">Settled</th>
          </tr>
        </thead>
        <tbody>
          {dues.map((d) => (
            <tr key={d.booking_id} data-due={d.booking_id}>
              <td>{dateTimeIn(d.recorded_at, zone)}</td>
              <td>{d.booking_id.slice(0, 8)}</td>
              <td>{cash(d.amount_cents, d.currency)}</td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td>
                {d.settled_at
                  ? `${d.method === 'cash' ? 'Cash' : 'Card'}, ${dateTimeIn(d.settled_at, zone)} by ${d.settled_by ?? 'staff'}`
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TotalsTable({ totals, testId }: { totals: Totals; testId: string }) {
  if (totals.length === 0) return <Empty>No money moved.</Empty>;
  return (
    <div className="table-wrap">
      <table className="data" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Currency</th>
            <th scope="col">Paid</th>
            <th scope="col">Refunded</th>
            <th scope="col">Net payout</th>
            <th scope="col">Payments</th>
            <th scope="col">Refunds</th>
          </tr>
        </thead>
        <tbody>
          {totals.map((t) => (
            <tr key={t.currency} data-currency={t.currency}>
              <td>{t.currency.toUpperCase()}</td>
              <td data-testid="gross">{cash(t.gross_paid_cents, t.currency)}</td>
              <td data-testid="refunded">{cash(t.refunded_cents, t.currency)}</td>
              <td data-testid="net">{cash(t.net_cents, t.currency)}</td>
              <td>{t.payments_count}</td>
              <td>{t.refunds_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Movements({
  payments,
  refunds,
  zone,
  onBooking,
}: {
  payments: PaymentItem[];
  refunds: RefundItem[];
  zone: string;
  onBooking?: (id: string) => void;
}) {
  const booking = (id: string) =>
    onBooking ? (
      <button type="button" className="btn ghost small" onClick={() => onBooking(id)}>
        {id.slice(0, 8)}
      </button>
    ) : (
      id.slice(0, 8)
    );
  return (
    <div className="table-wrap">
      <table className="data" data-testid="movements">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Booking</th>
            <th scope="col">Amount</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {payments.map((p) => (
            <tr key={p.id} data-payment={p.id}>
              <td>{dateTimeIn(p.succeeded_at ?? p.created_at, zone)}</td>
              <td>Payment ({p.kind})</td>
              <td>{booking(p.booking_id)}</td>
              <td>{cash(p.amount_cents, p.currency)}</td>
              <td>
                <StatusBadge status={p.status} />
              </td>
            </tr>
          ))}
          {refunds.map((r) => (
            <tr key={r.id} data-refund={r.id}>
              <td>{dateTimeIn(r.created_at, zone)}</td>
              <td>Refund: {r.reason}</td>
              <td>{booking(r.booking_id)}</td>
              <td>{cash(-r.amount_cents, r.currency)}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BookingPanel({
  bookingId,
  zone,
  onClose,
}: {
  bookingId: string;
  zone: string;
  onClose: () => void;
}) {
  const [data, setData] = useState<BookingPaymentsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setData(null);
    session
      .authed<BookingPaymentsResponse>(`/admin/bookings/${bookingId}/payments`)
      .then(setData)
      .catch((e) => setError(errorText(e)));
  }, [bookingId]);
  return (
    <section className="card stack" aria-labelledby="booking-money-h" data-testid="booking-money">
      <div className="row">
        <h3 id="booking-money-h">Booking {bookingId.slice(0, 8)}</h3>
        <button type="button" className="btn ghost small" onClick={onClose}>
          Close
        </button>
      </div>
      {error && <div className="alert error">{error}</div>}
      {!data && !error && <Loading label="Loading the booking’s payments…" />}
      {data && (
        <>
          <TotalsTable totals={data.totals} testId="booking-totals" />
          <Movements payments={data.payments} refunds={data.refunds} zone={zone} />
        </>
      )}
    </section>
  );
}

/** A facility's payment policy, then its money of one local day: payout totals, every payment and refund. */
export function PaymentsPage({ facilityId, zone }: { facilityId: string; zone: string }) {
  const [date, setDate] = useState(() => todayIn(zone));
  const [data, setData] = useState<FacilityPaymentsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [booking, setBooking] = useState<string | null>(null);
  const load = () => {
    setError(null);
    setData(null);
    session
      .authed<FacilityPaymentsResponse>(`/admin/facilities/${facilityId}/payments`, { query: { date } })
      .then(setData)
      .catch((e) => setError(errorText(e)));
  };
  useEffect(load, [facilityId, date]);
  return (
    <div className="stack">
      <PaymentPolicyPanel facilityId={facilityId} zone={zone} />
      <Field label="Day (venue time)">
        <input type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
      </Field>
      {error && <ErrorNotice title="Payments could not be loaded" message={error} onRetry={load} />}
      {!data && !error && <Loading label="Loading the day’s payments…" />}
      {data && (
        <>
          <section className="card stack" aria-labelledby="payout-h">
            <h3 id="payout-h">Payout for {data.date}</h3>
            <TotalsTable totals={data.totals} testId="day-totals" />
          </section>
          {booking && <BookingPanel bookingId={booking} zone={zone} onClose={() => setBooking(null)} />}
          <section className="card stack" aria-labelledby="moves-h">
            <h3 id="moves-h">Payments and refunds</h3>
            {data.payments.length + data.refunds.length === 0 ? (
              <Empty>No payments or refunds on this day.</Empty>
            ) : (
              <Movements payments={data.payments} refunds={data.refunds} zone={zone} onBooking={setBooking} />
            )}
          </section>
          <section className="card stack" aria-labelledby="collect-h">
            <h3 id="collect-h">To collect (walk-ins sold offline)</h3>
            <ToCollect dues={data.to_collect} zone={zone} />
          </section>
        </>
      )}
    </div>
  );
}

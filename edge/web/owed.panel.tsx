import { useCallback, useEffect, useState } from 'react';
import { type ConsoleApi, clock, money, type TerminalPayment, type WalkInDueItem } from './console-api.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What walk-ins sold while the venue was offline still owe ("to collect"), and their settlement once
 * the connection is back: cash taken at the desk, or the card on the reader. Settled items leave the list.
 */
export function OwedPanel({
  api,
  tz,
  onDone,
}: {
  api: ConsoleApi;
  tz: string | undefined;
  onDone: () => void;
}) {
  const [dues, setDues] = useState<WalkInDueItem[] | null>(null);
  const [reader, setReader] = useState<{ bookingId: string; payment: TerminalPayment } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  const load = useCallback(async () => {
    try {
      setDues((await api.dues()).dues);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [api]);
  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), 5_000);
    return () => window.clearInterval(timer);
  }, [load]);

  async function settled(due: WalkInDueItem, how: string) {
    setMessage(`${due.reference_code ?? due.booking_id} settled: ${money(due.amount_cents)} ${how}.`);
    await load();
    onDone();
  }

  async function cash(due: WalkInDueItem) {
    setError(null);
    setMessage(null);
    try {
      await api.settle(due.booking_id, 'cash');
      await settled(due, 'in cash');
    } catch (e) {
      fail(e);
    }
  }

  async function card(due: WalkInDueItem) {
    setError(null);
    setMessage(null);
    try {
      let payment = await api.startCardSettlement(due.booking_id);
      setReader({ bookingId: due.booking_id, payment });
      while (payment.status === 'waiting') {
        await wait(1_000);
        payment = await api.payment(payment.payment_id);
      }
      setReader(null);
      if (payment.status !== 'succeeded') {
        setError(payment.message);
        return;
      }
      await api.settle(due.booking_id, 'card', payment.payment_id);
      await settled(due, 'by card');
    } catch (e) {
      setReader(null);
      fail(e);
    }
  }

  return (
    <section aria-labelledby="owed-title" className="card owed">
      <h2 id="owed-title">To collect</h2>
      {error ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : null}
      {message ? (
        <p className="notice ok" role="status">
          {message}
        </p>
      ) : null}
      {reader ? (
        <p className="notice warn" role="status" data-testid="owed-reader">
          Tap or insert the card on the reader: {money(reader.payment.amount_cents)}
        </p>
      ) : null}
      {dues === null ? null : dues.length === 0 ? (
        <p className="muted">Nothing is owed.</p>
      ) : (
        <table aria-label="Walk-ins to collect">
          <thead>
            <tr>
              <th scope="col">Booking</th>
              <th scope="col">Customer</th>
              <th scope="col">Start</th>
              <th scope="col">Owed</th>
              <th scope="col">Settle</th>
            </tr>
          </thead>
          <tbody>
            {dues.map((d) => (
              <tr key={d.booking_id} data-testid="owed-row">
                <td>
                  <code>{d.reference_code ?? d.booking_id.slice(0, 8)}</code>
                </td>
                <td>{d.customer_name ?? 'walk-in'}</td>
                <td>{d.start_time ? clock(d.start_time, tz) : '—'}</td>
                <td data-testid="owed-amount">{money(d.amount_cents)}</td>
                <td>
                  <button type="button" disabled={reader !== null} onClick={() => void cash(d)}>
                    Cash
                  </button>{' '}
                  <button type="button" disabled={reader !== null} onClick={() => void card(d)}>
                    Card
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

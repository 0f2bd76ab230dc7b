import { useState } from 'react';
import {
  awaitCard,
  type Board,
  type ConsoleApi,
  clock,
  money,
  newKey,
  type Quote,
  startNow,
  type WalkInResult,
} from './console-api.js';

/** Walk-in sale and check-in at the desk: the same LAN API as the kiosk, with staff credentials. */
export function DeskPanel({ api, board, onDone }: { api: ConsoleApi; board: Board; onDone: () => void }) {
  const [bayId, setBayId] = useState(board.bays[0]?.simulator_id ?? '');
  const [duration, setDuration] = useState(60);
  const [name, setName] = useState('');
  const [quote, setQuote] = useState<Quote | null>(null);
  const [sold, setSold] = useState<WalkInResult | null>(null);
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [onReader, setOnReader] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  async function getQuote() {
    setError(null);
    setSold(null);
    try {
      setQuote(await api.quote(bayId, startNow(), duration));
    } catch (e) {
      setQuote(null);
      fail(e);
    }
  }
  async function sell() {
    if (quote === null) return;
    setError(null);
    try {
      // At a card-paying venue the reader takes the card first; offline the sale is "to collect".
      const offer = await api.payWalkIn(bayId, quote.start_time, duration);
      let paymentId: string | undefined;
      if (offer.method === 'reader' && offer.payment !== null) {
        setOnReader(`Tap or insert the card on the reader: ${money(offer.amount_cents)}`);
        const card = await awaitCard(api, offer.payment);
        setOnReader(null);
        if (card.status !== 'authorized') {
          setError(card.message);
          return;
        }
        paymentId = card.payment_id;
      }
      setSold(await api.walkIn(bayId, quote.start_time, duration, name.trim(), newKey(), paymentId));
      setQuote(null);
      onDone();
    } catch (e) {
      setOnReader(null);
      fail(e);
    }
  }
  async function checkIn(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    setMessage(null);
    try {
      const booking = await api.lookup(code);
      const done = await api.checkIn(booking.id);
      setMessage(`${done.reference_code} checked in (${done.customer_name ?? 'walk-in'}).`);
      setCode('');
      onDone();
    } catch (e) {
      fail(e);
    }
  }

  return (
    <section aria-labelledby="desk-title" className="desk">
      <h2 id="desk-title">Desk</h2>
      {error ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="cols">
        <form
          className="card"
          aria-label="Walk-in"
          onSubmit={(e) => {
            e.preventDefault();
            void getQuote();
          }}
        >
          <h3>Walk-in, starting now</h3>
          <label>
            Bay
            <select value={bayId} onChange={(e) => setBayId(e.target.value)}>
              {board.bays.map((b) => (
                <option key={b.simulator_id} value={b.simulator_id}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Duration
            <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
              {[30, 60, 90, 120, 180].map((m) => (
                <option key={m} value={m}>
                  {m} min
                </option>
              ))}
            </select>
          </label>
          <label>
            Customer first name (optional)
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
          </label>
          <button type="submit">Get price</button>
          {quote ? (
            <section className="quote" aria-label="Quote">
              <ul>
                {quote.lines.map((l) => (
                  <li key={`${l.kind}-${l.name}`}>
                    {l.name}: {money(l.amount_cents)} <small>{l.explanation}</small>
                  </li>
                ))}
                <li>Tax: {money(quote.tax_cents)}</li>
              </ul>
              <p>
                <strong>Total {money(quote.total_cents)}</strong> · {clock(quote.start_time, board.timezone)}–
                {clock(quote.end_time, board.timezone)}
              </p>
              <button
                type="button"
                className="primary"
                disabled={onReader !== null}
                onClick={() => void sell()}
              >
                Book walk-in
              </button>
              {onReader ? (
                <p className="notice warn" role="status" data-testid="desk-reader">
                  {onReader}
                </p>
              ) : null}
            </section>
          ) : null}
          {sold ? (
            <p className={`notice ${sold.mode === 'provisional' ? 'warn' : 'ok'}`} role="status">
              Booked <code data-testid="desk-code">{sold.booking.reference_code}</code> ({sold.mode}
              {sold.payment === 'paid'
                ? ', paid by card'
                : sold.payment === 'to_collect'
                  ? ', to collect'
                  : ''}
              ): {sold.message}
            </p>
          ) : null}
        </form>
        <form className="card" aria-label="Check in" onSubmit={(e) => void checkIn(e)}>
          <h3>Check in a booking</h3>
          <label>
            Booking code
            <input value={code} onChange={(e) => setCode(e.target.value)} maxLength={32} autoComplete="off" />
          </label>
          <button type="submit" disabled={code.trim() === ''}>
            Check in
          </button>
          {message ? (
            <p className="notice ok" role="status">
              {message}
            </p>
          ) : null}
        </form>
      </div>
    </section>
  );
}

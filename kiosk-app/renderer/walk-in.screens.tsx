import { formatMoney } from '@clubos/shared/pricing';
import { useEffect, useState } from 'react';
import { doorQrImage, spacedPin } from './door-qr.js';
import { clock } from './format.js';
import type { Bay, Quote, WalkInResult } from './kiosk-api.js';

export const DURATIONS = [30, 60, 90, 120] as const;

export function DurationScreen({ onPick }: { onPick: (minutes: number) => void }) {
  return (
    <section className="screen" aria-labelledby="duration-title">
      <h1 id="duration-title">How long would you like to play?</h1>
      <div className="grid grid-4">
        {DURATIONS.map((m) => (
          <button type="button" key={m} className="tile" onClick={() => onPick(m)}>
            <span className="tile-big">{m < 60 ? m : m / 60}</span>
            <span>{m < 60 ? 'minutes' : m === 60 ? 'hour' : 'hours'}</span>
          </button>
        ))}
      </div>
    </section>
  );
}

export interface BayOffer {
  bay: Bay;
  quote: Quote | null;
  reason: string | null;
}

export function BaysScreen({
  offers,
  timezone,
  onPick,
}: {
  offers: BayOffer[] | null;
  timezone: string | undefined;
  onPick: (offer: BayOffer) => void;
}) {
  if (offers === null) return <p className="screen loading">Finding free bays…</p>;
  const free = offers.filter((o) => o.quote !== null);
  return (
    <section className="screen" aria-labelledby="bays-title">
      <h1 id="bays-title">{free.length === 0 ? 'No bay is free right now' : 'Bays free now'}</h1>
      <div className="grid grid-3">
        {offers.map((o) => (
          <button
            type="button"
            key={o.bay.simulator_id}
            className="tile bay"
            disabled={o.quote === null}
            onClick={() => onPick(o)}
          >
            <span className="tile-big">{o.bay.name}</span>
            {o.quote ? (
              <span>
                {clock(o.quote.start_time, timezone)} – {clock(o.quote.end_time, timezone)} ·{' '}
                {formatMoney(o.quote.total_cents)}
              </span>
            ) : (
              <span className="muted">{o.reason ?? 'Not free now'}</span>
            )}
          </button>
        ))}
      </div>
    </section>
  );
}

export function PriceScreen({
  offer,
  timezone,
  busy,
  onConfirm,
}: {
  offer: BayOffer & { quote: Quote };
  timezone: string | undefined;
  busy: boolean;
  onConfirm: () => void;
}) {
  const q = offer.quote;
  return (
    <section className="screen" aria-labelledby="price-title">
      <h1 id="price-title">
        {offer.bay.name}, {clock(q.start_time, timezone)} – {clock(q.end_time, timezone)}
      </h1>
      <table className="lines" aria-label="Price">
        <tbody>
          {q.lines.map((l) => (
            <tr key={`${l.kind}-${l.name}`}>
              <th scope="row">
                {l.name}
                <small>{l.explanation}</small>
              </th>
              <td>{formatMoney(l.amount_cents)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Tax</th>
            <td>{formatMoney(q.tax_cents)}</td>
          </tr>
          <tr className="total">
            <th scope="row">Total</th>
            <td data-testid="total">{formatMoney(q.total_cents)}</td>
          </tr>
        </tbody>
      </table>
      <button type="button" className="primary wide" disabled={busy} onClick={onConfirm}>
        {busy ? 'Booking…' : `Confirm and book · ${formatMoney(q.total_cents)}`}
      </button>
    </section>
  );
}

export function BookedScreen({
  result,
  bayName,
  timezone,
  onDone,
}: {
  result: WalkInResult;
  bayName: string;
  timezone: string | undefined;
  onDone: () => void;
}) {
  const [qr, setQr] = useState<string | null>(null);
  const b = result.booking;
  useEffect(() => {
    // The QR carries the signed door token: the door scanners admit it, and the kiosk's own scanner
    // checks the booking in with it. The booking code stays on screen for the keypad and the desk.
    let live = true;
    void doorQrImage(result.qr_code).then((image) => live && setQr(image));
    return () => {
      live = false;
    };
  }, [result.qr_code]);
  return (
    <section className="screen" aria-labelledby="booked-title">
      <h1 id="booked-title">{result.provisional ? 'Provisionally booked' : "You're booked!"}</h1>
      {result.provisional ? (
        <p className="notice warn" role="status">
          Our booking system is offline, so this booking is provisional: staff will confirm it (or offer
          another bay) as soon as the connection is back.
        </p>
      ) : null}
      {result.payment === 'to_collect' ? (
        <p className="notice warn" role="status" data-testid="to-collect">
          We could not take your card while offline: please pay {formatMoney(result.total_cents)} at the desk.
        </p>
      ) : null}
      <div className="booked">
        {qr ? (
          <img
            src={qr}
            alt={`QR code for booking ${b.reference_code}: scan it at the door`}
            width={320}
            height={320}
            data-testid="door-qr"
          />
        ) : null}
        <div className="door-pass">
          <p className="pin-label">Door PIN</p>
          <p className="pin" data-testid="door-pin">
            {spacedPin(result.access_code)}
          </p>
          <p className="muted" data-testid="door-window">
            Opens the doors {clock(result.valid_from, timezone)} – {clock(result.valid_until, timezone)}
          </p>
          <dl>
            <dt>Bay</dt>
            <dd>{bayName}</dd>
            <dt>Time</dt>
            <dd>
              {clock(b.start_time, timezone)} – {clock(b.end_time, timezone)}
            </dd>
            <dt>Booking code</dt>
            <dd className="code" data-testid="booking-code">
              {b.reference_code}
            </dd>
            <dt>{result.payment === 'to_collect' ? 'To pay at the desk' : 'Paid'}</dt>
            <dd data-testid="paid">{formatMoney(result.total_cents)}</dd>
          </dl>
        </div>
      </div>
      <p className="muted">{result.message}</p>
      <button type="button" className="primary wide" onClick={onDone}>
        Done
      </button>
    </section>
  );
}

import { useCallback, useEffect, useMemo, useState } from 'react';
import { CheckInScreen } from './check-in.screen.js';
import { clock, newIdempotencyKey, startNow } from './format.js';
import {
  type Booking,
  createKioskApi,
  EdgeRefusal,
  type Quote,
  type TerminalPayment,
  type WalkInPaymentOffer,
  type WalkInResult,
} from './kiosk-api.js';
import { PaymentScreen } from './payment.screen.js';
import type { KioskSettings } from './settings.js';
import { useIdleReset, useSyncStatus, useWedgeScanner } from './use-kiosk-hooks.js';
import { type BayOffer, BaysScreen, BookedScreen, DurationScreen, PriceScreen } from './walk-in.screens.js';
import { classifyScan } from './wedge-buffer.js';

type Screen =
  | { name: 'welcome' }
  | { name: 'duration' }
  | { name: 'bays'; duration: number; offers: BayOffer[] | null }
  | { name: 'price'; duration: number; offer: BayOffer & { quote: Quote } }
  | { name: 'paying'; duration: number; offer: BayOffer & { quote: Quote }; payment: TerminalPayment }
  | { name: 'booked'; result: WalkInResult; bayName: string }
  | { name: 'checkin' }
  | { name: 'checked-in'; booking: Booking };

const why = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function App({ settings }: { settings: KioskSettings }) {
  const api = useMemo(() => createKioskApi(settings), [settings]);
  const [screen, setScreen] = useState<Screen>({ name: 'welcome' });
  const [timezone, setTimezone] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sync = useSyncStatus(api, settings.statusPollMs);

  const home = useCallback(() => {
    setScreen({ name: 'welcome' });
    setError(null);
    setBusy(false);
  }, []);
  useIdleReset(settings.idleSeconds, screen.name !== 'welcome', home);

  async function pickDuration(duration: number) {
    setError(null);
    setScreen({ name: 'bays', duration, offers: null });
    try {
      const { bays, timezone: tz } = await api.bays(duration);
      setTimezone(tz);
      const start = startNow();
      // The engine's slots follow the online grid; a walk-in starts now, so each bay is quoted directly.
      const offers = await Promise.all(
        bays.map(async (bay): Promise<BayOffer> => {
          if (bay.unavailable_reason !== null) return { bay, quote: null, reason: bay.unavailable_reason };
          try {
            return { bay, quote: await api.quote(bay.simulator_id, start, duration), reason: null };
          } catch (e) {
            return {
              bay,
              quote: null,
              reason: e instanceof EdgeRefusal && e.status < 500 ? e.message : 'Not free now',
            };
          }
        }),
      );
      setScreen({ name: 'bays', duration, offers });
    } catch (e) {
      setError(why(e));
      setScreen({ name: 'duration' });
    }
  }

  async function sell(duration: number, offer: BayOffer & { quote: Quote }, paymentId?: string) {
    const result = await api.walkIn(
      offer.bay.simulator_id,
      offer.quote.start_time,
      duration,
      newIdempotencyKey(),
      paymentId,
    );
    setScreen({ name: 'booked', result, bayName: offer.bay.name });
  }

  async function confirm(duration: number, offer: BayOffer & { quote: Quote }) {
    setBusy(true);
    setError(null);
    try {
      // A venue that charges on its card reader starts it first; an edge without payments says 'none'.
      const payment: WalkInPaymentOffer = await api
        .payWalkIn(offer.bay.simulator_id, offer.quote.start_time, duration)
        .catch((e) => {
          if (e instanceof EdgeRefusal && e.status === 404)
            return { method: 'none', amount_cents: 0, payment: null, message: '' } as WalkInPaymentOffer;
          throw e;
        });
      if (payment.method === 'reader' && payment.payment !== null) {
        setScreen({ name: 'paying', duration, offer, payment: payment.payment });
        return;
      }
      await sell(duration, offer);
    } catch (e) {
      setError(why(e));
    } finally {
      setBusy(false);
    }
  }

  // While the reader asks for a card: poll it; authorised → sold; declined → back to the price.
  const paying = screen.name === 'paying' ? screen : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: one poll per payment shown, not per render
  useEffect(() => {
    if (paying === null) return;
    let live = true;
    const timer = window.setInterval(
      () => {
        void api
          .payment(paying.payment.payment_id)
          .then(async (payment) => {
            if (!live || payment.status === 'waiting') return;
            live = false;
            window.clearInterval(timer);
            if (payment.status === 'authorized') {
              setScreen({ ...paying, payment });
              await sell(paying.duration, paying.offer, payment.payment_id).catch((e) => {
                setError(why(e));
                setScreen({ name: 'price', duration: paying.duration, offer: paying.offer });
              });
            } else {
              setError(payment.message);
              setScreen({ name: 'price', duration: paying.duration, offer: paying.offer });
            }
          })
          .catch(() => undefined);
      },
      Math.min(settings.statusPollMs, 1000),
    );
    return () => {
      // Left while the reader still waits (cancel, start over, idle): the reader stops asking.
      if (live) void api.cancelPayment(paying.payment.payment_id).catch(() => undefined);
      live = false;
      window.clearInterval(timer);
    };
  }, [paying?.payment.payment_id]);

  function cancelPayment(current: NonNullable<typeof paying>) {
    setScreen({ name: 'price', duration: current.duration, offer: current.offer });
    setError('Payment canceled; nothing was charged.');
  }

  async function checkIn(by: { code: string } | { qr: string }) {
    setBusy(true);
    setError(null);
    setScreen((s) => (s.name === 'checkin' ? s : { name: 'checkin' }));
    try {
      const booking = await api.lookup(by);
      const done = await api.checkIn(booking.id, 'code' in by ? 'booking_code' : 'qr_code');
      setScreen({ name: 'checked-in', booking: done });
    } catch (e) {
      setError(why(e));
    } finally {
      setBusy(false);
    }
  }

  // A scan checks in from any screen except mid-purchase (a stray scan must not lose a sale).
  useWedgeScanner(settings.wedgeGapMs, (text) => {
    if (screen.name === 'price' || screen.name === 'paying' || busy) return;
    void checkIn(classifyScan(text));
  });

  const offline = sync?.state === 'offline';
  return (
    <div className="kiosk">
      <header className="bar">
        <button type="button" className="brand" onClick={home} aria-label="Start over">
          ClubOS <span>Golf</span>
        </button>
        {screen.name !== 'welcome' ? (
          <button type="button" className="ghost" onClick={home}>
            Start over
          </button>
        ) : null}
      </header>
      {offline ? (
        <div className="banner" role="status" data-testid="offline-banner">
          Offline mode: our booking system can't be reached. You can still book a bay for right now; a longer
          booking may be provisional until the connection is back.
        </div>
      ) : null}
      {error && screen.name !== 'checkin' ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : null}
      <main>
        {screen.name === 'welcome' ? (
          <section className="screen welcome" aria-labelledby="welcome-title">
            <h1 id="welcome-title">Welcome</h1>
            <p className="lead">Tap to book a bay now, or scan your QR code to check in.</p>
            <div className="grid grid-2">
              <button type="button" className="tile primary" onClick={() => setScreen({ name: 'duration' })}>
                <span className="tile-big">Book a bay</span>
                <span>Play now</span>
              </button>
              <button type="button" className="tile" onClick={() => setScreen({ name: 'checkin' })}>
                <span className="tile-big">Check in</span>
                <span>I have a booking</span>
              </button>
            </div>
          </section>
        ) : null}
        {screen.name === 'duration' ? <DurationScreen onPick={(d) => void pickDuration(d)} /> : null}
        {screen.name === 'bays' ? (
          <BaysScreen
            offers={screen.offers}
            timezone={timezone}
            onPick={(offer) => {
              if (offer.quote !== null)
                setScreen({
                  name: 'price',
                  duration: screen.duration,
                  offer: { ...offer, quote: offer.quote },
                });
            }}
          />
        ) : null}
        {screen.name === 'price' ? (
          <PriceScreen
            offer={screen.offer}
            timezone={timezone}
            busy={busy}
            onConfirm={() => void confirm(screen.duration, screen.offer)}
          />
        ) : null}
        {screen.name === 'paying' ? (
          <PaymentScreen
            payment={screen.payment}
            bayName={screen.offer.bay.name}
            onCancel={() => cancelPayment(screen)}
          />
        ) : null}
        {screen.name === 'booked' ? (
          <BookedScreen result={screen.result} bayName={screen.bayName} timezone={timezone} onDone={home} />
        ) : null}
        {screen.name === 'checkin' ? (
          <CheckInScreen busy={busy} error={error} onCode={(code) => void checkIn({ code })} />
        ) : null}
        {screen.name === 'checked-in' ? (
          <section className="screen" aria-labelledby="checked-title">
            <h1 id="checked-title">You're checked in</h1>
            <p className="lead">
              Booking {screen.booking.reference_code}, {clock(screen.booking.start_time, timezone)} –{' '}
              {clock(screen.booking.end_time, timezone)}. Enjoy your round!
            </p>
            <button type="button" className="primary wide" onClick={home}>
              Done
            </button>
          </section>
        ) : null}
      </main>
    </div>
  );
}

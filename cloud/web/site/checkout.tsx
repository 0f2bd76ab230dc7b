import type { Booking, QuoteResponse } from '@clubos/shared/api';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiErrorBody, errorText, newIdempotencyKey } from '../shared-ui/api.js';
import type { WaitlistEntry } from '../shared-ui/api-types.js';
import { dateTimeIn, minutesLabel, money, timeIn } from '../shared-ui/format.js';
import { navigate } from '../shared-ui/router.js';
import { useSession } from '../shared-ui/session.js';
import { ErrorNotice, Field, Loading } from '../shared-ui/ui.js';
import { rememberCheckout } from './checkout-return.page.js';
import { rememberBooking } from './confirmation.page.js';
import { session, type Venue } from './site-api.js';
import type { SlotChoice } from './slot-grid.js';

type Alternative = NonNullable<ApiErrorBody['alternatives']>[number];

/** The price with its explanation lines, the guest details (or the signed-in account) and Book. */
export function Checkout({
  venue,
  choice,
  duration,
  stillFree,
  freeNearby,
  bayName,
  onPick,
}: {
  venue: Venue;
  choice: SlotChoice;
  duration: number;
  stillFree: boolean;
  /** Free times nearest the chosen one, from the live grid: offered when it vanishes under you. */
  freeNearby: Alternative[];
  bayName: (simulatorId: string) => string;
  onPick: (choice: SlotChoice) => void;
}) {
  const user = useSession(session);
  const [quote, setQuote] = useState<QuoteResponse | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [waitlisted, setWaitlisted] = useState<WaitlistEntry | null>(null);
  const idempotencyKey = useRef(newIdempotencyKey());
  const heading = useRef<HTMLHeadingElement>(null);

  const loadQuote = () => {
    setQuoteError(null);
    session
      .authed<QuoteResponse>('/quote', {
        query: { simulator_id: choice.simulator_id, start_time: choice.start_time, duration },
      })
      .then(setQuote)
      .catch((e) => setQuoteError(errorText(e)));
  };
  useEffect(loadQuote, [choice.simulator_id, choice.start_time, duration]);
  useEffect(() => heading.current?.focus(), []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = String(form.get(name) ?? '').trim();
      return value === '' ? undefined : value;
    };
    setSubmitting(true);
    setError(null);
    try {
      const booking = await session.authed<Booking>('/bookings', {
        method: 'POST',
        idempotencyKey: idempotencyKey.current,
        body: {
          simulator_id: choice.simulator_id,
          start_time: choice.start_time,
          duration,
          ...(user
            ? {}
            : {
                customer: {
                  email: text('email'),
                  first_name: text('first_name'),
                  last_name: text('last_name'),
                  phone: text('phone'),
                },
              }),
        },
      });
      if (booking.checkout_url) {
        // The venue asks payment online: the time is held while the customer pays on Stripe's page.
        rememberCheckout(booking.id, choice.bay_name);
        window.location.assign(booking.checkout_url);
        return;
      }
      rememberBooking(booking, choice.bay_name);
      navigate(`/confirmation/${booking.id}`);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', errorText(e), undefined, {}));
      // A refused attempt may be retried with other details: it needs a fresh key.
      idempotencyKey.current = newIdempotencyKey();
    } finally {
      setSubmitting(false);
    }
  };

  const joinWaitlist = async () => {
    try {
      setWaitlisted(
        await session.authed<WaitlistEntry>('/waitlist', {
          method: 'POST',
          body: { simulator_id: choice.simulator_id, start_time: choice.start_time, duration },
        }),
      );
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    }
  };

  const refused = error?.status === 409 || error?.status === 422;
  // Lost either at the server (a 409 with its alternatives) or seen first on the live grid: the
  // customer gets the same explanation and the nearest free times either way.
  const taken = refused || (!stillFree && !submitting);
  const alternatives: Alternative[] = refused ? (error?.body.alternatives ?? []) : taken ? freeNearby : [];

  return (
    <div className="card checkout stack">
      <div>
        <h2 ref={heading} tabIndex={-1}>
          {choice.bay_name}
        </h2>
        <p className="muted">
          {dateTimeIn(choice.start_time, venue.timezone)} – {timeIn(choice.end_time, venue.timezone)} ·{' '}
          {minutesLabel(duration)}
        </p>
      </div>

      {quoteError && (
        <ErrorNotice title="The price could not be loaded" message={quoteError} onRetry={loadQuote} />
      )}
      {!quote && !quoteError && <Loading label="Working out the price…" />}
      {quote && (
        <dl className="price-lines" aria-label="Price">
          {quote.lines
            .filter((line) => !(line.kind === 'tax' && line.amount_cents === 0))
            .map((line) => (
              <div key={`${line.kind}-${line.rule_id ?? line.name}`} className="price-line">
                <dt>
                  {line.name}
                  <span className="explanation">{line.explanation}</span>
                </dt>
                <dd>{money(line.amount_cents)}</dd>
              </div>
            ))}
          <div className="price-line total">
            <dt>Total</dt>
            <dd data-testid="quote-total">{money(quote.total_cents)}</dd>
          </div>
        </dl>
      )}

      {taken ? (
        <div className="stack" data-testid="conflict">
          <div className="alert error" role="alert">
            <strong>
              Sorry — {choice.bay_name} at {timeIn(choice.start_time, venue.timezone)} was just taken.
            </strong>
            {refused ? error?.message : 'Someone else booked it a moment ago.'}
          </div>
          {alternatives.length > 0 ? (
            <div>
              <h3>Nearest free times</h3>
              <ul className="alternatives">
                {alternatives.map((alt) => (
                  <li key={`${alt.simulator_id}|${alt.start_time}`}>
                    <button
                      type="button"
                      className="btn secondary small"
                      onClick={() =>
                        onPick({
                          simulator_id: alt.simulator_id,
                          bay_name: bayName(alt.simulator_id),
                          start_time: alt.start_time,
                          end_time: alt.end_time,
                          price_cents: alt.price_cents,
                        })
                      }
                    >
                      {bayName(alt.simulator_id)} · {dateTimeIn(alt.start_time, venue.timezone)} ·{' '}
                      {money(alt.price_cents)}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="muted">No nearby time is free. Try another day.</p>
          )}
          {waitlisted ? (
            <div className="alert ok" role="status">
              <strong>
                You’re on the waitlist{waitlisted.position ? ` (#${waitlisted.position})` : ''}.
              </strong>
              If this time frees up we’ll hold it for you — accept the offer under My bookings.
            </div>
          ) : user ? (
            <button type="button" className="btn secondary" onClick={joinWaitlist}>
              Join the waitlist for this time
            </button>
          ) : (
            <p className="muted">
              <a href="/account">Sign in</a> to join the waitlist for this time.
            </p>
          )}
        </div>
      ) : (
        <form className="stack" onSubmit={submit} aria-describedby="checkout-note">
          {user ? (
            <p className="muted">
              Booking as <strong>{user.user.email}</strong>
            </p>
          ) : (
            <>
              <p className="muted" id="checkout-note">
                Book as a guest — or <a href="/account">sign in</a> to manage bookings later.
              </p>
              <Field label="Email">
                <input name="email" type="email" autoComplete="email" required />
              </Field>
              <div className="row two">
                <Field label="First name">
                  <input name="first_name" autoComplete="given-name" required />
                </Field>
                <Field label="Last name">
                  <input name="last_name" autoComplete="family-name" />
                </Field>
              </div>
              <Field label="Phone" hint="Optional — for day-of changes">
                <input name="phone" type="tel" autoComplete="tel" minLength={3} maxLength={20} />
              </Field>
            </>
          )}
          {error && (
            <div className="alert error" role="alert">
              <strong>The booking did not go through.</strong>
              {error.field ? `${error.field}: ` : ''}
              {error.message}
            </div>
          )}
          <button type="submit" className="btn" disabled={submitting || !stillFree}>
            {submitting ? 'Booking…' : quote ? `Book for ${money(quote.total_cents)}` : 'Book'}
          </button>
          <p className="muted small-print">
            Free cancellation up to {venue.cancellation_policy.free_until_hours} h before the start; after
            that {venue.cancellation_policy.late_refund_percent}% is refunded.
          </p>
        </form>
      )}
    </div>
  );
}

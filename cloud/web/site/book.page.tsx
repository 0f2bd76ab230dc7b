import type { AvailabilityResponse } from '@clubos/shared/api';
import { useMemo, useState } from 'react';
import { addDays, longDate, minutesLabel, todayIn, zoneLabel } from '../shared-ui/format.js';
import { ErrorNotice, Field, Loading } from '../shared-ui/ui.js';
import { Checkout } from './checkout.js';
import { DURATIONS, type Venue } from './site-api.js';
import { type SlotChoice, SlotGrid, slotKey } from './slot-grid.js';
import { useAvailability } from './use-availability.js';
import { WaitlistJoin } from './waitlist-join.js';

export function BookPage({ venue }: { venue: Venue }) {
  const today = todayIn(venue.timezone);
  const [date, setDate] = useState(today);
  const [duration, setDuration] = useState(60);
  // A choice belongs to the date/length/venue it was made for: changing any of them clears it.
  const query = `${venue.id}|${date}|${duration}`;
  const [choice, setChoice] = useState<{ query: string; slot: SlotChoice } | null>(null);
  const selected = choice?.query === query ? choice.slot : null;
  const setSelected = (slot: SlotChoice) => setChoice({ query, slot });
  const availability = useAvailability(venue.id, date, duration, venue.timezone);

  // A selected slot that vanished from the live list was taken by someone else.
  const selectedStillFree = useMemo(() => {
    if (!selected || !availability.data) return true;
    const key = slotKey(selected.simulator_id, selected.start_time);
    return availability.data.simulators.some((b) =>
      b.slots.some((s) => slotKey(b.simulator_id, s.start_time) === key),
    );
  }, [selected, availability.data]);

  const freeNearby = useMemo(
    () => (selected && availability.data ? nearestFree(availability.data, selected) : []),
    [selected, availability.data],
  );

  return (
    <>
      <h1 tabIndex={-1}>Book a simulator bay</h1>
      <p className="lede">
        Pick a day and how long you want to play. Times are shown in the venue’s time (
        {zoneLabel(venue.timezone)}).
      </p>
      <div className="grid-2">
        <div className="stack">
          <div className="card controls">
            <div className="row">
              <button
                type="button"
                className="btn secondary small"
                onClick={() => setDate(addDays(date, -1))}
                disabled={date <= today}
                aria-label="Previous day"
              >
                ←
              </button>
              <Field label="Date">
                <input
                  type="date"
                  name="date"
                  value={date}
                  min={today}
                  onChange={(e) => e.target.value && setDate(e.target.value)}
                />
              </Field>
              <button
                type="button"
                className="btn secondary small"
                onClick={() => setDate(addDays(date, 1))}
                aria-label="Next day"
              >
                →
              </button>
              <Field label="Duration">
                <select
                  name="duration"
                  value={duration}
                  onChange={(e) => setDuration(Number(e.target.value))}
                >
                  {DURATIONS.map((d) => (
                    <option key={d} value={d}>
                      {minutesLabel(d)}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <p className="live-line muted">
              <span className={`live-dot ${availability.live ? 'on' : ''}`} aria-hidden="true" />
              {availability.live ? 'Live — times update as others book' : 'Connecting to live updates…'}
            </p>
          </div>
          <h2>{longDate(date)}</h2>
          <div aria-live="polite" className="sr-only" data-testid="live-announcement">
            {availability.announcement}
          </div>
          {availability.error && (
            <ErrorNotice
              title="Free times could not be loaded"
              message={availability.error}
              onRetry={availability.reload}
            />
          )}
          {!availability.data && availability.loading && <Loading label="Finding free times…" />}
          {availability.data && (
            <div aria-busy={availability.loading}>
              <SlotGrid
                data={availability.data}
                zone={venue.timezone}
                selected={selected}
                onSelect={setSelected}
              />
            </div>
          )}
          <WaitlistJoin venue={venue} date={date} duration={duration} data={availability.data} />
        </div>
        <aside className="checkout-col" aria-label="Your booking">
          {selected ? (
            <Checkout
              key={slotKey(selected.simulator_id, selected.start_time) + duration}
              venue={venue}
              choice={selected}
              duration={duration}
              stillFree={selectedStillFree}
              freeNearby={freeNearby}
              bayName={(id) =>
                availability.data?.simulators.find((b) => b.simulator_id === id)?.name ?? 'Bay'
              }
              onPick={setSelected}
            />
          ) : (
            <div className="card">
              <h2>Your booking</h2>
              <p className="muted">
                Choose a start time to see the price and book. {minutesLabel(duration)} session.
              </p>
            </div>
          )}
        </aside>
      </div>
    </>
  );
}

/** Up to four free times closest to the chosen one (same bay first on a tie), from the grid. */
function nearestFree(data: AvailabilityResponse, chosen: SlotChoice) {
  const at = Date.parse(chosen.start_time);
  return data.simulators
    .flatMap((bay) =>
      bay.slots.map((slot) => ({
        simulator_id: bay.simulator_id,
        start_time: slot.start_time,
        end_time: slot.end_time,
        price_cents: slot.price_cents,
        distance: Math.abs(Date.parse(slot.start_time) - at),
        otherBay: bay.simulator_id === chosen.simulator_id ? 0 : 1,
      })),
    )
    .filter((slot) => slot.distance > 0 || slot.otherBay === 1)
    .sort((a, b) => a.distance - b.distance || a.otherBay - b.otherBay)
    .slice(0, 4)
    .map(({ distance: _d, otherBay: _o, ...alternative }) => alternative);
}

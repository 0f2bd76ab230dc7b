import type { AvailabilityResponse } from '@clubos/shared/api';
import { money, timeIn } from '../shared-ui/format.js';
import { Empty } from '../shared-ui/ui.js';

export interface SlotChoice {
  simulator_id: string;
  bay_name: string;
  start_time: string;
  end_time: string;
  price_cents: number;
}

export const slotKey = (simulatorId: string, start: string) =>
  `${simulatorId}|${new Date(start).toISOString()}`;

/** Every bay with its free start times for the chosen date and duration. */
export function SlotGrid({
  data,
  zone,
  selected,
  onSelect,
}: {
  data: AvailabilityResponse;
  zone: string;
  selected: SlotChoice | null;
  onSelect: (choice: SlotChoice) => void;
}) {
  if (data.simulators.length === 0) return <Empty>This venue has no bays open for online booking.</Empty>;
  const anyFree = data.simulators.some((b) => b.slots.length > 0);
  return (
    <div className="stack">
      {!anyFree && (
        <div className="alert warn">
          <strong>Fully booked for this day and length.</strong>
          Try a shorter session or another day — or sign in and join the waitlist from a taken time.
        </div>
      )}
      {data.simulators.map((bay) => (
        <section key={bay.simulator_id} className="card bay" aria-labelledby={`bay-${bay.simulator_id}`}>
          <div className="bay-head">
            <h3 id={`bay-${bay.simulator_id}`}>{bay.name}</h3>
            <span className="muted">
              {bay.slots.length === 0
                ? 'No free times'
                : `${bay.slots.length} free time${bay.slots.length === 1 ? '' : 's'}`}
            </span>
          </div>
          {bay.unavailable_reason && <p className="muted">{bay.unavailable_reason}</p>}
          {bay.slots.length > 0 && (
            <ul className="slots" aria-label={`Free start times for ${bay.name}`}>
              {bay.slots.map((slot) => {
                const key = slotKey(bay.simulator_id, slot.start_time);
                const isSelected =
                  selected !== null && slotKey(selected.simulator_id, selected.start_time) === key;
                return (
                  <li key={key}>
                    <button
                      type="button"
                      className="slot"
                      data-slot={key}
                      aria-pressed={isSelected}
                      aria-label={`${bay.name}, ${timeIn(slot.start_time, zone)} to ${timeIn(slot.end_time, zone)}, ${money(slot.price_cents)}`}
                      onClick={() =>
                        onSelect({
                          simulator_id: bay.simulator_id,
                          bay_name: bay.name,
                          start_time: slot.start_time,
                          end_time: slot.end_time,
                          price_cents: slot.price_cents,
                        })
                      }
                    >
                      <span className="slot-time">{timeIn(slot.start_time, zone)}</span>
                      <span className="slot-price">{money(slot.price_cents)}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

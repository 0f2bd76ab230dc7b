import type { AdminSimulator } from '../shared-ui/api-types.js';
import type { DraftAvailabilityRule, DraftPricingRule } from './rules-model.js';

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Opening hours of one bay, one row per weekday rule. */
export function AvailabilityRulesEditor({
  bay,
  rules,
  onChange,
}: {
  bay: AdminSimulator;
  rules: DraftAvailabilityRule[];
  onChange: (key: string, patch: Partial<DraftAvailabilityRule>) => void;
}) {
  const mine = rules
    .filter((r) => r.simulator_id === bay.id && !r.removed)
    .sort((a, b) => a.day_of_week - b.day_of_week);
  if (mine.length === 0)
    return <p className="muted">{bay.name} has no opening hours: it is never bookable.</p>;
  return (
    <div className="table-wrap">
      <table className="data" aria-label={`Opening hours of ${bay.name}`}>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Opens</th>
            <th scope="col">Closes</th>
            <th scope="col">Slot grid (min)</th>
            <th scope="col">Buffer (min)</th>
            <th scope="col">Book ≥ h ahead</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {mine.map((r) => (
            <tr key={r.key} data-rule={r.key}>
              <th scope="row">{WEEKDAYS[r.day_of_week]}</th>
              <td>
                <input
                  aria-label={`${WEEKDAYS[r.day_of_week]} opens`}
                  type="time"
                  value={r.start_time}
                  onChange={(e) => onChange(r.key, { start_time: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`${WEEKDAYS[r.day_of_week]} closes`}
                  value={r.end_time}
                  pattern="([01]\d|2[0-3]):[0-5]\d|24:00"
                  size={6}
                  onChange={(e) => onChange(r.key, { end_time: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`${WEEKDAYS[r.day_of_week]} slot grid minutes`}
                  type="number"
                  min={5}
                  max={720}
                  value={r.slot_duration}
                  onChange={(e) => onChange(r.key, { slot_duration: Number(e.target.value) })}
                />
              </td>
              <td>
                <input
                  aria-label={`${WEEKDAYS[r.day_of_week]} buffer minutes`}
                  type="number"
                  min={0}
                  max={240}
                  value={r.buffer_time}
                  onChange={(e) => onChange(r.key, { buffer_time: Number(e.target.value) })}
                />
              </td>
              <td>
                <input
                  aria-label={`${WEEKDAYS[r.day_of_week]} minimum advance hours`}
                  type="number"
                  min={0}
                  max={720}
                  value={r.min_advance_hours}
                  onChange={(e) => onChange(r.key, { min_advance_hours: Number(e.target.value) })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="btn ghost small"
                  onClick={() => onChange(r.key, { removed: true })}
                >
                  Closed
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Pricing rules: modifier, window and days; inactive rules stay listed but do not apply. */
export function PricingRulesEditor({
  rules,
  onChange,
  onAdd,
}: {
  rules: DraftPricingRule[];
  onChange: (key: string, patch: Partial<DraftPricingRule>) => void;
  onAdd: () => void;
}) {
  const conditions = (r: DraftPricingRule) =>
    r.conditions as { start_time?: string; end_time?: string; days_of_week?: number[] };
  const setCondition = (r: DraftPricingRule, patch: Record<string, unknown>) => {
    const next: Record<string, unknown> = { ...r.conditions, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === '' || v === undefined) delete next[k];
    onChange(r.key, { conditions: next });
  };
  return (
    <div className="stack">
      {rules.length === 0 && (
        <p className="muted">No pricing rules: every slot costs the bay’s hourly rate.</p>
      )}
      {rules.map((r) => {
        const c = conditions(r);
        return (
          <fieldset key={r.key} className="rule-card" data-pricing-rule={r.key}>
            <legend>{r.name || 'New rule'}</legend>
            <div className="row">
              <label className="field">
                <span>Name</span>
                <input value={r.name} onChange={(e) => onChange(r.key, { name: e.target.value })} />
              </label>
              <label className="field">
                <span>Change</span>
                <input
                  type="number"
                  step="any"
                  value={r.price_modifier}
                  onChange={(e) => onChange(r.key, { price_modifier: Number(e.target.value) })}
                />
              </label>
              <label className="field">
                <span>Unit</span>
                <select
                  value={r.modifier_type}
                  onChange={(e) => onChange(r.key, { modifier_type: e.target.value })}
                >
                  <option value="percentage">% of the rate</option>
                  <option value="fixed">$ per hour</option>
                </select>
              </label>
              <label className="field">
                <span>From</span>
                <input
                  type="time"
                  value={c.start_time ?? ''}
                  onChange={(e) => setCondition(r, { start_time: e.target.value })}
                />
              </label>
              <label className="field">
                <span>To</span>
                <input
                  type="time"
                  value={c.end_time ?? ''}
                  onChange={(e) => setCondition(r, { end_time: e.target.value })}
                />
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={r.active}
                  onChange={(e) => onChange(r.key, { active: e.target.checked })}
                />
                Active
              </label>
            </div>
            <fieldset className="days">
              <legend className="sr-only">Days for {r.name || 'new rule'}</legend>
              {WEEKDAYS.map((day, d) => {
                const days = c.days_of_week;
                const on = !days || days.includes(d);
                return (
                  <label key={day} className="check">
                    <input
                      type="checkbox"
                      checked={on}
                      onChange={(e) => {
                        const current = days ?? [0, 1, 2, 3, 4, 5, 6];
                        const next = e.target.checked
                          ? [...current, d].sort()
                          : current.filter((x) => x !== d);
                        setCondition(r, { days_of_week: next.length === 7 ? undefined : next });
                      }}
                    />
                    {day.slice(0, 3)}
                  </label>
                );
              })}
            </fieldset>
          </fieldset>
        );
      })}
      <div>
        <button type="button" className="btn secondary small" onClick={onAdd}>
          Add a pricing rule
        </button>
      </div>
    </div>
  );
}

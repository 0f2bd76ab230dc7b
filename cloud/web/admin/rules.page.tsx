import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type {
  AdminAvailabilityRule,
  AdminFacility,
  AdminPricingRule,
  AdminSimulator,
} from '../shared-ui/api-types.js';
import { addDays, minutesLabel, money, timeIn, todayIn } from '../shared-ui/format.js';
import { ErrorNotice, Field, Loading } from '../shared-ui/ui.js';
import { session } from './admin-api.js';
import { AvailabilityRulesEditor, PricingRulesEditor } from './rules-editors.js';
import {
  type DraftAvailabilityRule,
  type DraftPricingRule,
  previewAvailability,
  toDraftAvailability,
  toDraftPricing,
} from './rules-model.js';

interface Loaded {
  bays: AdminSimulator[];
  rules: AdminAvailabilityRule[];
  pricing: AdminPricingRule[];
}

const availabilityFields = [
  'start_time',
  'end_time',
  'slot_duration',
  'buffer_time',
  'min_advance_hours',
] as const;

export function RulesPage({ facility }: { facility: AdminFacility }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [rules, setRules] = useState<DraftAvailabilityRule[]>([]);
  const [pricing, setPricing] = useState<DraftPricingRule[]>([]);
  const [bayId, setBayId] = useState<string | null>(null);
  const [date, setDate] = useState(addDays(todayIn(facility.timezone), 1));
  const [duration, setDuration] = useState(60);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const q = { query: { facility_id: facility.id } };
      const [b, r, p] = await Promise.all([
        session.authed<{ simulators: AdminSimulator[] }>('/admin/simulators', q),
        session.authed<{ rules: AdminAvailabilityRule[] }>('/admin/availability-rules', q),
        session.authed<{ rules: AdminPricingRule[] }>('/admin/pricing-rules', q),
      ]);
      setLoaded({ bays: b.simulators, rules: r.rules, pricing: p.rules });
      setRules(r.rules.map(toDraftAvailability));
      setPricing(p.rules.map(toDraftPricing));
      setBayId((current) => current ?? b.simulators[0]?.id ?? null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [facility.id]);
  useEffect(() => void load(), [load]);

  const preview = useMemo(() => {
    if (!loaded) return null;
    try {
      return {
        result: previewAvailability({ facility, bays: loaded.bays, rules, pricing, date, duration }),
        error: null,
      };
    } catch (e) {
      return { result: null, error: errorText(e) };
    }
  }, [loaded, facility, rules, pricing, date, duration]);

  const save = async () => {
    if (!loaded) return;
    setSaving(true);
    setNotice(null);
    setError(null);
    try {
      for (const r of rules) {
        const original = loaded.rules.find((o) => o.id === r.id);
        if (r.removed && r.id)
          await session.authed(`/admin/availability-rules/${r.id}`, { method: 'DELETE' });
        else if (original) {
          const patch: Record<string, unknown> = {};
          for (const f of availabilityFields) {
            const before = f === 'start_time' || f === 'end_time' ? original[f].slice(0, 5) : original[f];
            if (r[f] !== before) patch[f] = r[f];
          }
          if (Object.keys(patch).length > 0) {
            await session.authed(`/admin/availability-rules/${r.id}`, { method: 'PATCH', body: patch });
          }
        }
      }
      for (const r of pricing) {
        const body = {
          simulator_id: r.simulator_id,
          name: r.name,
          type: r.type,
          conditions: r.conditions,
          price_modifier: r.price_modifier,
          modifier_type: r.modifier_type,
          priority: r.priority,
          active: r.active,
        };
        const original = loaded.pricing.find((o) => o.id === r.id);
        if (!r.id)
          await session.authed('/admin/pricing-rules', {
            method: 'POST',
            body: { facility_id: facility.id, ...body },
          });
        else if (original && JSON.stringify(toDraftPricing(original)) !== JSON.stringify(r)) {
          await session.authed(`/admin/pricing-rules/${r.id}`, { method: 'PATCH', body });
        }
      }
      setNotice('Saved. Customers see the new hours and prices now.');
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  if (error && !loaded)
    return <ErrorNotice title="Rules could not be loaded" message={error} onRetry={() => void load()} />;
  if (!loaded) return <Loading label="Loading rules…" />;
  const bay = loaded.bays.find((b) => b.id === bayId) ?? loaded.bays[0];
  const zone = facility.timezone;
  return (
    <div className="grid-2">
      <div className="stack">
        <section className="card stack" aria-labelledby="hours-h">
          <div className="row spread">
            <h3 id="hours-h">Opening hours</h3>
            <Field label="Bay">
              <select value={bay?.id ?? ''} onChange={(e) => setBayId(e.target.value)}>
                {loaded.bays.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          {bay && (
            <AvailabilityRulesEditor
              bay={bay}
              rules={rules}
              onChange={(key, patch) =>
                setRules((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)))
              }
            />
          )}
        </section>
        <section className="card stack" aria-labelledby="pricing-h">
          <h3 id="pricing-h">Pricing rules</h3>
          <PricingRulesEditor
            rules={pricing}
            onChange={(key, patch) =>
              setPricing((ps) => ps.map((p) => (p.key === key ? { ...p, ...patch } : p)))
            }
            onAdd={() =>
              setPricing((ps) => [
                ...ps,
                {
                  id: null,
                  key: `new-${ps.length}-${Date.now()}`,
                  simulator_id: null,
                  name: 'New rule',
                  type: 'time_based',
                  conditions: { start_time: '17:00', end_time: '22:00' },
                  price_modifier: 10,
                  modifier_type: 'percentage',
                  priority: 0,
                  active: true,
                  valid_from: null,
                  valid_until: null,
                },
              ])
            }
          />
        </section>
        <div aria-live="polite">
          {notice && <div className="alert ok">{notice}</div>}
          {error && (
            <div className="alert error" role="alert">
              {error}
            </div>
          )}
        </div>
        <div className="row">
          <button
            type="button"
            className="btn"
            onClick={() => void save()}
            disabled={saving || !!preview?.error}
          >
            {saving ? 'Saving…' : 'Save rules'}
          </button>
          <button type="button" className="btn ghost" onClick={() => void load()} disabled={saving}>
            Discard changes
          </button>
        </div>
      </div>
      <aside className="card stack preview" aria-labelledby="preview-h">
        <h3 id="preview-h">Live preview</h3>
        <p className="muted">
          What customers would see with these (unsaved) rules, computed in your browser by the same engine.
        </p>
        <div className="row">
          <Field label="Preview date">
            <input type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
          </Field>
          <Field label="Length">
            <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
              {[30, 60, 90, 120].map((d) => (
                <option key={d} value={d}>
                  {minutesLabel(d)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div aria-live="polite" data-testid="rules-preview">
          {preview?.error && (
            <div className="alert error" role="alert">
              <strong>The engine refuses these rules.</strong>
              {preview.error}
            </div>
          )}
          {preview?.result?.bays
            .filter((b) => !bay || b.simulator_id === bay.id)
            .map((b) => (
              <div key={b.simulator_id} className="stack">
                <p>
                  <strong>{b.name}</strong>:{' '}
                  {b.slots.length === 0
                    ? (b.unavailable_reason ?? 'no free time')
                    : `${b.slots.length} start times`}
                </p>
                <ul className="preview-slots">
                  {b.slots.map((s) => (
                    <li key={s.start} title={s.quote.lines.map((l) => l.explanation).join('\n')}>
                      <span>{timeIn(s.start, zone)}</span>
                      <span className={s.price_cents !== b.slots[0]?.price_cents ? 'price changed' : 'price'}>
                        {money(s.price_cents)}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
        </div>
      </aside>
    </div>
  );
}

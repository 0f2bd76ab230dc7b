import type { Bay } from '../model/bay.model.js';
import { DomainInputError } from '../model/domain-input.error.js';
import type { Facility } from '../model/facility.model.js';
import type { PricingRule } from '../model/pricing-rule.model.js';
import type { Quote } from '../model/quote.model.js';
import { firstEndingAfter, type Interval, MINUTE_MS } from '../time/interval.js';
import { assertValidZone, localDateOf } from '../time/zone.js';
import type { PricingContext, RuleWindows } from './pricing.types.js';
import { comparePriority, matchesBooking, matchesContext } from './pricing-rule.match.js';
import { validatePricingRule } from './pricing-rule.validate.js';
import { pricingRuleWindows } from './pricing-windows.js';
import { buildQuote, type PreparedRule } from './quote.builder.js';

export interface PricerOptions {
  facility: Facility;
  rules: readonly PricingRule[];
  /** The span the pricer will be asked about; rule windows are computed over it once. */
  range: Interval;
  context?: PricingContext;
}

export interface Pricer {
  /** Quote `[start, end)` on `bay`; `occupancy` overrides the context's for demand rules. */
  quote(bay: Bay, start: number, end: number, occupancy?: number | null): Quote;
}

/** `settings.tax_rate_bps`; the seed's `settings` defaults to `{}`, which means no tax. */
export function taxRateBps(facility: Facility): number {
  const bps = facility.settings?.tax_rate_bps ?? 0;
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) {
    throw new DomainInputError('settings.tax_rate_bps', `must be an integer 0–10000, got ${String(bps)}`);
  }
  return bps;
}

/**
 * Validates the rules and precomputes their local-time windows over `range`, so that quoting one
 * slot afterwards does no zone arithmetic (the availability engine prices hundreds per request).
 */
export function createPricer(options: PricerOptions): Pricer {
  const { facility, range } = options;
  const zone = facility.timezone;
  assertValidZone(zone, 'facility.timezone');
  const bps = taxRateBps(facility);
  const context = options.context ?? {};
  options.rules.forEach((rule, i) => {
    validatePricingRule(rule, `pricing_rules[${i}]`);
  });
  const active = options.rules.filter((r) => r.active).sort(comparePriority);
  const windows = new Map<PricingRule, RuleWindows>();
  if (active.some((r) => r.conditions.days_of_week !== undefined || r.conditions.start_time !== undefined)) {
    const fromDate = localDateOf(range.start, zone);
    const toDate = localDateOf(range.end, zone);
    for (const rule of active) {
      windows.set(rule, pricingRuleWindows(rule, zone, range.start, range.end, fromDate, toDate));
    }
  }
  const byBay = new Map<string, PricingRule[]>();

  return {
    quote(bay, start, end, occupancy) {
      if (!(end > start)) throw new DomainInputError('end', 'must be after start');
      let rules = byBay.get(bay.id);
      if (rules === undefined) {
        rules = active.filter((r) => r.simulator_id === null || r.simulator_id === bay.id);
        byBay.set(bay.id, rules);
      }
      const ctx = occupancy === undefined ? context : { ...context, occupancy };
      const inRange = start >= range.start && end <= range.end;
      const durationMin = (end - start) / MINUTE_MS;
      const prepared: PreparedRule[] = [];
      for (const rule of rules) {
        if (!matchesBooking(rule, start, durationMin) || !matchesContext(rule, ctx)) continue;
        const w = inRange ? (windows.get(rule) ?? null) : pricingRuleWindows(rule, zone, start, end);
        if (w !== null && !touches(w, start, end)) continue;
        prepared.push({ rule, windows: w });
      }
      return buildQuote(bay, prepared, start, end, bps);
    },
  };
}

function touches(sorted: readonly Interval[], start: number, end: number): boolean {
  const w = sorted[firstEndingAfter(sorted, start)];
  return w !== undefined && w.start < end;
}

export interface QuoteRequest {
  facility: Facility;
  bay: Bay;
  rules: readonly PricingRule[];
  start: number;
  end: number;
  context?: PricingContext;
}

/** One-off quote for a booking (the booking service calls this; the engine uses `createPricer`). */
export function quoteBooking(req: QuoteRequest): Quote {
  if (!Number.isFinite(req.start) || !Number.isFinite(req.end) || !(req.end > req.start)) {
    throw new DomainInputError('end_time', 'must be after start_time');
  }
  if (!Number.isInteger(req.bay.hourly_rate_cents) || req.bay.hourly_rate_cents < 0) {
    throw new DomainInputError('hourly_rate', 'must be a non-negative amount of cents');
  }
  const pricer = createPricer({
    facility: req.facility,
    rules: req.rules,
    range: { start: req.start, end: req.end },
    ...(req.context === undefined ? {} : { context: req.context }),
  });
  return pricer.quote(req.bay, req.start, req.end);
}

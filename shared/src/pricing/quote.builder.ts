import type { Bay } from '../model/bay.model.js';
import type { PricingRule } from '../model/pricing-rule.model.js';
import type { Quote, QuoteLine } from '../model/quote.model.js';
import { firstEndingAfter, type Interval, MINUTE_MS } from '../time/interval.js';
import { explainBase, explainRule, explainTax } from './explanation.format.js';
import { roundCents } from './money.js';
import type { RuleWindows } from './pricing.types.js';

/** A rule that already passed the per-request checks, with its windows over the request's range. */
export interface PreparedRule {
  rule: PricingRule;
  windows: RuleWindows;
}

/**
 * How rules stack (the contract every quote follows):
 *
 * 1. The booking `[start, end)` is cut into segments at every boundary of an applicable rule's
 *    window, so a booking that crosses a peak boundary is prorated by the minutes inside each window.
 * 2. Each segment starts at its base price (hourly rate × minutes / 60). Rules are applied in
 *    priority order (higher first, then id): a percentage multiplies the segment's RUNNING price
 *    (so -10 % then +20 % gives ×0.9×1.2), a fixed modifier adds dollars per hour of the segment.
 *    A segment's price never goes below zero: a discount that would is cut to the remaining price.
 * 3. Each rule's contributions over all segments are summed unrounded and rounded once, half away
 *    from zero, into one line; the base is one line; subtotal = base + rule lines; tax =
 *    round(subtotal × bps / 10 000) is the last line; total = subtotal + tax. The lines therefore
 *    sum exactly to the total, and the same input always gives the same cents.
 */
export function buildQuote(
  bay: Bay,
  prepared: readonly PreparedRule[],
  start: number,
  end: number,
  taxRateBps: number,
): Quote {
  const durationMin = (end - start) / MINUTE_MS;
  const rate = bay.hourly_rate_cents;

  // Segment boundaries: the booking's ends plus every window edge strictly inside it.
  const cuts = [start, end];
  for (const p of prepared) {
    if (p.windows === null) continue;
    for (let i = firstEndingAfter(p.windows, start); i < p.windows.length; i++) {
      const w = p.windows[i] as Interval;
      if (w.start >= end) break;
      if (w.start > start) cuts.push(w.start);
      if (w.end < end) cuts.push(w.end);
    }
  }
  if (cuts.length > 2) cuts.sort((a, b) => a - b);

  const deltas = new Array<number>(prepared.length).fill(0);
  const minutes = new Array<number>(prepared.length).fill(0);
  for (let s = 0; s + 1 < cuts.length; s++) {
    const segStart = cuts[s] as number;
    const segEnd = cuts[s + 1] as number;
    if (segEnd <= segStart) continue;
    const segMin = (segEnd - segStart) / MINUTE_MS;
    const mid = segStart + (segEnd - segStart) / 2;
    let running = (rate * segMin) / 60;
    for (let r = 0; r < prepared.length; r++) {
      const p = prepared[r] as PreparedRule;
      if (p.windows !== null && !containsPoint(p.windows, mid)) continue;
      let delta =
        p.rule.modifier_type === 'percentage'
          ? (running * p.rule.price_modifier) / 100
          : (p.rule.price_modifier * 100 * segMin) / 60;
      if (running + delta < 0) delta = -running;
      running += delta;
      deltas[r] = (deltas[r] as number) + delta;
      minutes[r] = (minutes[r] as number) + segMin;
    }
  }

  const baseCents = roundCents((rate * durationMin) / 60);
  const lines: QuoteLine[] = [
    {
      kind: 'base',
      rule_id: null,
      name: 'Base rate',
      type: 'base',
      amount_cents: baseCents,
      explanation: explainBase(rate, durationMin),
    },
  ];
  let subtotal = baseCents;
  for (let r = 0; r < prepared.length; r++) {
    const applied = minutes[r] as number;
    if (applied <= 0) continue;
    const rule = (prepared[r] as PreparedRule).rule;
    const amount = roundCents(deltas[r] as number);
    subtotal += amount;
    lines.push({
      kind: 'rule',
      rule_id: rule.id,
      name: rule.name,
      type: rule.type,
      amount_cents: amount,
      explanation: explainRule(rule, applied, durationMin),
    });
  }
  const tax = roundCents((subtotal * taxRateBps) / 10_000);
  lines.push({
    kind: 'tax',
    rule_id: null,
    name: 'Tax',
    type: 'tax',
    amount_cents: tax,
    explanation: explainTax(taxRateBps, subtotal),
  });
  return {
    simulator_id: bay.id,
    start,
    end,
    duration_minutes: durationMin,
    hourly_rate_cents: rate,
    lines,
    subtotal_cents: subtotal,
    tax_rate_bps: taxRateBps,
    tax_cents: tax,
    total_cents: subtotal + tax,
  };
}

function containsPoint(sorted: readonly Interval[], t: number): boolean {
  const w = sorted[firstEndingAfter(sorted, t)];
  return w !== undefined && w.start <= t;
}

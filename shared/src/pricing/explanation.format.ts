import type { PricingRule } from '../model/pricing-rule.model.js';
import { dayName } from '../time/local-date.js';
import { formatCents } from './money.js';

/** Human text for quote lines, e.g. "Peak hours Fri 17:00–23:00: +25 % (30 of 60 min)". */

const WEEK_FROM_MONDAY = [1, 2, 3, 4, 5, 6, 0];

/** [1,2,3,4,5] → 'Mon–Fri'; [6,0] → 'Sat, Sun'; all seven → '' (every day needs no words). */
export function formatDays(days: readonly number[]): string {
  const set = new Set(days);
  if (set.size === 7) return '';
  const ordered = WEEK_FROM_MONDAY.filter((d) => set.has(d));
  const parts: string[] = [];
  let i = 0;
  while (i < ordered.length) {
    let j = i;
    while (
      j + 1 < ordered.length &&
      WEEK_FROM_MONDAY.indexOf(ordered[j + 1] as number) ===
        WEEK_FROM_MONDAY.indexOf(ordered[j] as number) + 1
    )
      j++;
    const run = ordered.slice(i, j + 1).map(dayName);
    parts.push(run.length >= 3 ? `${run[0]}–${run[run.length - 1]}` : run.join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

function formatPercent(points: number): string {
  const abs = Math.abs(points);
  return `${points < 0 ? '-' : '+'}${Number.isInteger(abs) ? abs : abs.toFixed(2).replace(/0+$/, '')} %`;
}

function hhmm(value: string): string {
  return value.slice(0, 5);
}

/** Where/for whom a rule applies, in a few words. */
export function describeRuleScope(rule: PricingRule): string {
  const c = rule.conditions;
  const parts: string[] = [];
  const days = c.days_of_week === undefined ? '' : formatDays(c.days_of_week);
  if (days !== '') parts.push(days);
  if (c.start_time !== undefined && c.end_time !== undefined)
    parts.push(`${hhmm(c.start_time)}–${hhmm(c.end_time)}`);
  if (c.min_occupancy !== undefined) parts.push(`occupancy ≥ ${Math.round(c.min_occupancy * 100)} %`);
  if (c.member_tiers !== undefined) parts.push(`${c.member_tiers.join('/')} members`);
  if (c.customer_tags !== undefined) parts.push(`tagged ${c.customer_tags.join('/')}`);
  if (c.vip_only === true) parts.push('VIP');
  return parts.join(' ');
}

// Rules are immutable inputs; a quote per slot would otherwise rebuild the same words hundreds of times.
const scopeMemo = new WeakMap<PricingRule, string>();

export function explainRule(rule: PricingRule, minutesApplied: number, durationMinutes: number): string {
  let scope = scopeMemo.get(rule);
  if (scope === undefined) {
    scope = describeRuleScope(rule);
    scopeMemo.set(rule, scope);
  }
  const modifier =
    rule.modifier_type === 'percentage'
      ? formatPercent(rule.price_modifier)
      : `${rule.price_modifier < 0 ? '-' : '+'}${formatCents(Math.round(Math.abs(rule.price_modifier) * 100))}/h`;
  const partial =
    minutesApplied < durationMinutes ? ` (${round2(minutesApplied)} of ${round2(durationMinutes)} min)` : '';
  return `${rule.name}${scope === '' ? '' : ` ${scope}`}: ${modifier}${partial}`;
}

export function explainBase(hourlyRateCents: number, durationMinutes: number): string {
  return `Base rate ${formatCents(hourlyRateCents)}/h × ${round2(durationMinutes)} min`;
}

export function explainTax(taxRateBps: number, subtotalCents: number): string {
  return `Tax ${taxRateBps / 100} % on ${formatCents(subtotalCents)}`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

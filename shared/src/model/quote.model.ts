/**
 * A price in integer cents. Every line is rounded once; `subtotal_cents` is the sum of the base and
 * rule lines, `total_cents` = subtotal + tax, so all `lines` (base, rules, tax) sum exactly to
 * `total_cents`.
 */
export type QuoteLineKind = 'base' | 'rule' | 'tax';

export interface QuoteLine {
  kind: QuoteLineKind;
  /** The pricing rule for kind 'rule', otherwise null. */
  rule_id: string | null;
  name: string;
  /** Pricing rule type for kind 'rule'; 'base' or 'tax' otherwise. */
  type: string;
  amount_cents: number;
  /** Human text, e.g. "Peak hours Fri 17:00–23:00: +25 % (30 of 60 min)". */
  explanation: string;
}

export interface Quote {
  simulator_id: string;
  start: number;
  end: number;
  duration_minutes: number;
  hourly_rate_cents: number;
  lines: QuoteLine[];
  subtotal_cents: number;
  tax_rate_bps: number;
  tax_cents: number;
  total_cents: number;
}

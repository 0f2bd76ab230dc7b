import type { QuoteResponse } from '@clubos/shared/api';
import type { AvailabilityInput, BookingCheck } from '@clubos/shared/availability';
import type { Quote } from '@clubos/shared/model';
import { centsToDollars, quoteBooking } from '@clubos/shared/pricing';
import { MINUTE_MS } from '@clubos/shared/time';
import { iso } from './time-format.js';

/** The price of a slot the engine refused, so the caller still sees what it would cost. */
export function quoteUnavailable(
  input: AvailabilityInput,
  simulatorId: string,
  start: number,
  duration: number,
): Quote {
  const bay = input.bays.find((b) => b.id === simulatorId)!;
  return quoteBooking({
    facility: input.facility,
    bay,
    rules: input.pricingRules ?? [],
    start,
    end: start + duration * MINUTE_MS,
    ...(input.pricing ? { context: input.pricing } : {}),
  });
}

/** Seed `GET /quote` body: the quote's lines in dollars and cents, and whether the slot is free. */
export function toQuoteResponse(
  simulatorId: string,
  facilityId: string,
  quote: Quote,
  check: BookingCheck,
): QuoteResponse {
  return {
    simulator_id: simulatorId,
    facility_id: facilityId,
    start_time: iso(quote.start),
    end_time: iso(quote.end),
    duration: quote.duration_minutes,
    hourly_rate: centsToDollars(quote.hourly_rate_cents),
    lines: quote.lines.map((line) => ({
      kind: line.kind,
      rule_id: line.rule_id,
      name: line.name,
      type: line.type,
      amount: centsToDollars(line.amount_cents),
      amount_cents: line.amount_cents,
      explanation: line.explanation,
    })),
    subtotal_cents: quote.subtotal_cents,
    tax_rate_bps: quote.tax_rate_bps,
    tax_cents: quote.tax_cents,
    total_cents: quote.total_cents,
    price: centsToDollars(quote.total_cents),
    available: check.ok,
    unavailable_reason: check.ok ? null : check.message,
  };
}

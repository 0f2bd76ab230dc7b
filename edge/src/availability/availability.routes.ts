import { findAvailability } from '@clubos/shared/availability';
import { DomainError } from '@clubos/shared/errors';
import type { Quote } from '@clubos/shared/model';
import { facilityDay, localDateOf } from '@clubos/shared/time';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { allow } from '../auth/auth.plugin.js';
import type { EdgeDatabase } from '../db/database.js';
import { planSlot } from '../walk-ins/slot-check.js';
import { loadAvailabilityInput } from './availability-input.js';
import { readFacility } from './replica-read.repository.js';

const Query = Type.Object({
  simulator_id: Type.Optional(Type.String({ format: 'uuid' })),
  date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  duration: Type.Integer({ minimum: 15, maximum: 480 }),
});
const SlotResponse = Type.Object({
  simulator_id: Type.String(),
  start_time: Type.String(),
  end_time: Type.String(),
  duration: Type.Integer(),
  price: Type.String(),
  price_cents: Type.Integer(),
});
const AvailabilityResponse = Type.Object({
  date: Type.String(),
  timezone: Type.String(),
  duration: Type.Integer(),
  bays: Type.Array(
    Type.Object({
      simulator_id: Type.String(),
      name: Type.String(),
      bay_number: Type.Union([Type.Integer(), Type.Null()]),
      unavailable_reason: Type.Union([Type.String(), Type.Null()]),
      slots: Type.Array(SlotResponse),
    }),
  ),
});
const QuoteBody = Type.Object({
  simulator_id: Type.String({ format: 'uuid' }),
  start_time: Type.String({ format: 'date-time' }),
  duration: Type.Integer({ minimum: 15, maximum: 480 }),
});
const QuoteLine = Type.Object({
  kind: Type.String(),
  name: Type.String(),
  amount_cents: Type.Integer(),
  explanation: Type.String(),
});
const QuoteResponse = Type.Object({
  simulator_id: Type.String(),
  start_time: Type.String(),
  end_time: Type.String(),
  duration: Type.Integer(),
  lines: Type.Array(QuoteLine),
  subtotal_cents: Type.Integer(),
  tax_cents: Type.Integer(),
  total_cents: Type.Integer(),
  price: Type.String(),
});

const dollars = (cents: number) => (cents / 100).toFixed(2);
const iso = (ms: number) => new Date(ms).toISOString();

function quoteResponse(q: Quote) {
  return {
    simulator_id: q.simulator_id,
    start_time: iso(q.start),
    end_time: iso(q.end),
    duration: q.duration_minutes,
    lines: q.lines.map((l) => ({
      kind: l.kind,
      name: l.name,
      amount_cents: l.amount_cents,
      explanation: l.explanation,
    })),
    subtotal_cents: q.subtotal_cents,
    tax_cents: q.tax_cents,
    total_cents: q.total_cents,
    price: dollars(q.total_cents),
  };
}

/** Free walk-in slots and quotes, from the replica and the shared engine (walk-in channel). */
export const availabilityRoutes: FastifyPluginAsync<{ database: EdgeDatabase; now: () => number }> = async (
  app,
  { database, now },
) => {
  app.get(
    '/availability',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { querystring: Query, response: { 200: AvailabilityResponse } },
    },
    async (request) => {
      const q = request.query as { simulator_id?: string; date?: string; duration: number };
      const facility = readFacility(database.db);
      if (facility === null)
        throw new DomainError('NOT_READY', 'the edge has not loaded its facility from the cloud yet');
      const at = now();
      const date = q.date ?? localDateOf(at, facility.timezone);
      const day = facilityDay(date, facility.timezone);
      const input = loadAvailabilityInput(database.db, at, day.start, day.end);
      const result = findAvailability({
        ...input,
        date,
        duration: q.duration,
        ...(q.simulator_id === undefined ? {} : { simulatorIds: [q.simulator_id] }),
      });
      return {
        date: result.date,
        timezone: result.timezone,
        duration: result.duration_minutes,
        bays: result.bays.map((b) => ({
          simulator_id: b.simulator_id,
          name: b.name,
          bay_number: b.bay_number,
          unavailable_reason: b.unavailable_reason,
          slots: b.slots.map((s) => ({
            simulator_id: s.simulator_id,
            start_time: iso(s.start),
            end_time: iso(s.end),
            duration: s.duration_minutes,
            price: dollars(s.price_cents),
            price_cents: s.price_cents,
          })),
        })),
      };
    },
  );

  app.post(
    '/quotes',
    { preHandler: allow('kiosk', 'staff'), schema: { body: QuoteBody, response: { 200: QuoteResponse } } },
    async (request) => {
      const body = request.body as { simulator_id: string; start_time: string; duration: number };
      const plan = planSlot(
        database.db,
        {
          simulatorId: body.simulator_id,
          start: Date.parse(body.start_time),
          durationMinutes: body.duration,
        },
        now(),
      );
      return quoteResponse(plan.quote);
    },
  );
};

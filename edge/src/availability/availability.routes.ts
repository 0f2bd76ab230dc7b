import {
  EdgeAvailabilityQuerySchema,
  EdgeAvailabilitySchema,
  QuoteBodySchema,
  type Quote as QuoteResponse,
  QuoteSchema,
} from '@clubos/shared/api/edge-lan';
import { findAvailability } from '@clubos/shared/availability';
import { DomainError } from '@clubos/shared/errors';
import type { Quote } from '@clubos/shared/model';
import { centsToDecimal } from '@clubos/shared/pricing';
import { facilityDay, localDateOf, parseInstant } from '@clubos/shared/time';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { allow } from '../auth/auth.plugin.js';
import type { EdgeDatabase } from '../db/database.js';
import { planSlot } from '../walk-ins/slot-check.js';
import { loadAvailabilityInput } from './availability-input.js';
import { readFacility } from './replica-read.repository.js';

const iso = (ms: number) => new Date(ms).toISOString();

function quoteResponse(q: Quote): QuoteResponse {
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
    price: centsToDecimal(q.total_cents),
  };
}

/** Free walk-in slots and quotes, from the replica and the shared engine (walk-in channel). */
export const availabilityRoutes: FastifyPluginAsyncTypebox<{
  database: EdgeDatabase;
  now: () => number;
}> = async (app, { database, now }) => {
  app.get(
    '/availability',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { querystring: EdgeAvailabilityQuerySchema, response: { 200: EdgeAvailabilitySchema } },
    },
    async (request) => {
      const q = request.query;
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
            price: centsToDecimal(s.price_cents),
            price_cents: s.price_cents,
          })),
        })),
      };
    },
  );

  app.post(
    '/quotes',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { body: QuoteBodySchema, response: { 200: QuoteSchema } },
    },
    async (request) => {
      const { body } = request;
      const plan = planSlot(
        database.db,
        {
          simulatorId: body.simulator_id,
          start: parseInstant(body.start_time, 'start_time'),
          durationMinutes: body.duration,
        },
        now(),
      );
      return quoteResponse(plan.quote);
    },
  );
};

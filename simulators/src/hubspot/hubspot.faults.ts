import { type Static, Type } from '@sinclair/typebox';
import { CountedFaults } from '../http/counted-faults.js';
import { HubspotApiError, type RateLimitPolicy, rateLimitError, unauthorized } from './hubspot.errors.js';

/**
 * Faults a test switches on to watch the CRM outbox cope: HubSpot unreachable (connection reset),
 * slow, failing with 5xx, a storm of 429s (with or without Retry-After, which the SDK ignores and
 * our outbox must honour), or a revoked token. Each fault lasts `count` requests, or until cleared.
 */
const count = Type.Optional(Type.Integer({ minimum: 1 }));

export const HubspotFaultSchema = Type.Union([
  Type.Object({ kind: Type.Literal('down'), count }),
  Type.Object({ kind: Type.Literal('slow'), delayMs: Type.Integer({ minimum: 0, maximum: 120_000 }), count }),
  Type.Object({
    kind: Type.Literal('server_error'),
    status: Type.Optional(Type.Integer({ minimum: 500, maximum: 599 })),
    count,
  }),
  Type.Object({
    kind: Type.Literal('rate_limit_storm'),
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    policy: Type.Optional(
      Type.Union([Type.Literal('TEN_SECONDLY_ROLLING'), Type.Literal('SECONDLY'), Type.Literal('DAILY')]),
    ),
    count,
  }),
  Type.Object({ kind: Type.Literal('unauthorized'), count }),
]);
export type HubspotFault = Static<typeof HubspotFaultSchema>;

export type FaultEffect = { delayMs: number; action: 'down' | HubspotApiError | null };

function errorFor(spec: HubspotFault): HubspotApiError | 'down' | null {
  switch (spec.kind) {
    case 'down':
      return 'down';
    case 'slow':
      return null;
    case 'server_error': {
      const status = spec.status ?? 500;
      return status === 503
        ? new HubspotApiError(503, 'SERVICE_UNAVAILABLE', 'Service unavailable; please retry.')
        : new HubspotApiError(status, 'INTERNAL_ERROR', 'internal error');
    }
    case 'rate_limit_storm': {
      const policy: RateLimitPolicy = spec.policy ?? 'TEN_SECONDLY_ROLLING';
      const headers: Record<string, string> =
        spec.retryAfterSeconds === undefined ? {} : { 'retry-after': String(spec.retryAfterSeconds) };
      return rateLimitError(policy, headers);
    }
    case 'unauthorized':
      return unauthorized();
  }
}

export class HubspotFaults extends CountedFaults<HubspotFault> {
  /** What the next request suffers: the sum of slow faults, then the first failing fault. */
  next(): FaultEffect {
    let delayMs = 0;
    let action: FaultEffect['action'] = null;
    for (const fault of this.active) {
      const effect = errorFor(fault.spec);
      if (effect === null && fault.spec.kind === 'slow') {
        delayMs += fault.spec.delayMs;
        fault.remaining -= 1;
      } else if (action === null && effect !== null) {
        action = effect;
        fault.remaining -= 1;
      }
    }
    this.sweep();
    return { delayMs, action };
  }
}

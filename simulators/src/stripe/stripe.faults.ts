import { type Static, Type } from '@sinclair/typebox';
import { CountedFaults } from '../http/counted-faults.js';
import { apiError, rateLimited, type StripeApiError } from './stripe.errors.js';

/**
 * "Stripe is down" in its forms, each for `count` matching API requests (or until cleared):
 * - `down`: the connection is reset before anything runs;
 * - `timeout`: no answer at all (the client's timeout fires), nothing runs;
 * - `server_error`: a 5xx `api_error` before anything runs (not stored under the idempotency key),
 *   optionally with `Stripe-Should-Retry`;
 * - `rate_limit`: 429 `rate_limit`, with or without `Stripe-Should-Retry` (the SDK retries a 429
 *   only when that header says true);
 * - `slow`: the request runs `delayMs` late while holding its idempotency key (a retry meanwhile
 *   gets 409);
 * - `lost_reply`: the request runs, then its connection is dropped: the SDK's retry with the same
 *   key gets the stored reply.
 * `match` narrows a fault to a method and/or a path prefix (`/v1/refunds`).
 */
const count = Type.Optional(Type.Integer({ minimum: 1 }));
const match = Type.Optional(
  Type.Object(
    {
      method: Type.Optional(Type.String({ minLength: 1 })),
      path: Type.Optional(Type.String({ minLength: 1 })),
    },
    { additionalProperties: false },
  ),
);
const shouldRetry = Type.Optional(Type.Boolean());

export const StripeFaultSchema = Type.Union([
  Type.Object({ kind: Type.Literal('down'), count, match }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('timeout'), count, match }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('server_error'),
      status: Type.Optional(Type.Integer({ minimum: 500, maximum: 599 })),
      shouldRetry,
      count,
      match,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('rate_limit'), shouldRetry, count, match },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('slow'), delayMs: Type.Integer({ minimum: 0, maximum: 600_000 }), count, match },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('lost_reply'), count, match }, { additionalProperties: false }),
]);
export type StripeFault = Static<typeof StripeFaultSchema>;

export interface FaultEffect {
  /** Before execution: reset the connection, never answer, or answer this error. */
  before: 'down' | 'timeout' | StripeApiError | null;
  /** During execution (idempotency key held). */
  delayMs: number;
  /** After execution: drop the connection instead of answering. */
  lostReply: boolean;
}

const shouldRetryHeader = (value: boolean | undefined): Record<string, string> =>
  value === undefined ? {} : { 'stripe-should-retry': String(value) };

export class StripeFaults extends CountedFaults<StripeFault> {
  /** What the next API request suffers: every matching slow fault adds up, the first other one wins. */
  next(method: string, path: string): FaultEffect {
    const effect: FaultEffect = { before: null, delayMs: 0, lostReply: false };
    let decided = false;
    for (const fault of this.active) {
      const { spec } = fault;
      if (spec.match?.method && spec.match.method.toUpperCase() !== method) continue;
      if (spec.match?.path && !path.startsWith(spec.match.path)) continue;
      if (spec.kind === 'slow') {
        effect.delayMs += spec.delayMs;
        fault.remaining -= 1;
        continue;
      }
      if (decided) continue;
      decided = true;
      fault.remaining -= 1;
      if (spec.kind === 'lost_reply') effect.lostReply = true;
      else if (spec.kind === 'down' || spec.kind === 'timeout') effect.before = spec.kind;
      else if (spec.kind === 'server_error')
        effect.before = apiError(spec.status ?? 500, shouldRetryHeader(spec.shouldRetry));
      else effect.before = rateLimited(shouldRetryHeader(spec.shouldRetry));
    }
    this.sweep();
    return effect;
  }
}

import type { EventBus } from './stripe.events.js';
import type { StripeStore } from './stripe.store.js';

/** What the services share: the objects, the event stream, the simulated clock and the public URL. */
export interface SimContext {
  store: StripeStore;
  events: EventBus;
  /** The simulated clock in epoch ms (the base clock plus any `advanceClock`). */
  nowMs(): number;
  /** The same in Unix seconds, the unit of every Stripe timestamp. */
  now(): number;
  /** Where the hosted pages are served (the simulator's own URL unless configured). */
  baseUrl(): string;
  /** Runs `work` after `ms` of real time unless the simulator closes first. */
  later(ms: number, work: () => void): void;
}

/** Copies an object for a reply or an event, so later changes do not leak into it. */
export const snapshot = <T>(value: T): T => structuredClone(value);

export const ONE_DAY = 24 * 60 * 60;

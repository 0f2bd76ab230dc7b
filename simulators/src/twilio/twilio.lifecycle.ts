import { CARRIER_ERRORS } from './twilio.errors.js';
import {
  FINAL_STATUSES,
  type MessageStatus,
  PRICE_PER_SEGMENT,
  type StoredMessage,
} from './twilio.message.js';
import type { Outcome } from './twilio.outcomes.js';

/**
 * How long each step of an outbound message takes, in ms after the previous one: `instant` (every
 * step on the next turn of the event loop, for tests), `realistic` (about what a US long code
 * shows: sent within a second, delivery receipt a couple of seconds later, for the demo), or
 * `manual` (nothing moves until `advance()`), or explicit delays.
 */
export type Timing =
  | 'instant'
  | 'realistic'
  | 'manual'
  | { sendingMs: number; sentMs: number; finalMs: number };

export const REALISTIC_TIMING = { sendingMs: 150, sentMs: 600, finalMs: 2_000 } as const;

export function parseTiming(input: unknown): Timing {
  if (input === 'instant' || input === 'realistic' || input === 'manual') return input;
  if (typeof input === 'object' && input !== null) {
    const t = input as Record<string, unknown>;
    for (const key of ['sendingMs', 'sentMs', 'finalMs'] as const) {
      const v = t[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 600_000)
        throw new RangeError(`timing.${key}: an integer of ms, 0-600000`);
    }
    return { sendingMs: t.sendingMs as number, sentMs: t.sentMs as number, finalMs: t.finalMs as number };
  }
  throw new RangeError('timing: instant, realistic, manual or {sendingMs, sentMs, finalMs}');
}

interface Step {
  status: MessageStatus;
  errorCode: number | null;
  delayMs: number;
}

/** The statuses a message passes through after `queued` for an outcome that accepted it. */
function stepsFor(outcome: Outcome, delays: { sendingMs: number; sentMs: number; finalMs: number }): Step[] {
  const step = (status: MessageStatus, delayMs: number, errorCode: number | null = null): Step => ({
    status,
    delayMs,
    errorCode,
  });
  if (outcome.kind === 'carrier_error' && outcome.status === 'failed') {
    return [step('failed', delays.sendingMs, outcome.errorCode)];
  }
  const steps = [step('sending', delays.sendingMs), step('sent', delays.sentMs)];
  if (outcome.kind === 'delivered') steps.push(step('delivered', delays.finalMs));
  if (outcome.kind === 'carrier_error') steps.push(step('undelivered', delays.finalMs, outcome.errorCode));
  return steps;
}

/**
 * Moves accepted messages through their statuses on a timer and reports each change (the
 * simulator turns a change into a status callback). A message created through a Messaging
 * Service starts `accepted`, so it first moves to `queued`.
 */
export class Lifecycle {
  private timers = new Set<NodeJS.Timeout>();
  /** Messages waiting for `advance()` in manual timing, with their remaining steps. */
  private heldMessages = new Map<string, { message: StoredMessage; steps: Step[] }>();

  constructor(
    private timingValue: Timing,
    private readonly now: () => number,
    private readonly onChange: (message: StoredMessage) => void,
  ) {}

  get timing(): Timing {
    return this.timingValue;
  }

  /** Leaving manual timing releases the held messages, which then move at once. */
  setTiming(timing: Timing): void {
    this.timingValue = timing;
    if (timing === 'manual') return;
    for (const { message, steps } of this.heldMessages.values()) this.schedule(message, steps);
    this.heldMessages.clear();
  }

  start(message: StoredMessage, outcome: Outcome): void {
    const delays = this.delays();
    const steps = stepsFor(outcome, delays);
    if (message.status === 'accepted') steps.unshift({ status: 'queued', errorCode: null, delayMs: 0 });
    if (this.timing === 'manual') this.heldMessages.set(message.sid, { message, steps });
    else this.schedule(message, steps);
  }

  /** Manual timing: moves one held message (or every one) a step on; returns how many moved. */
  advance(sid?: string): number {
    const entries =
      sid === undefined ? [...this.heldMessages.values()] : [this.heldMessages.get(sid)].filter((e) => !!e);
    for (const entry of entries) {
      const next = entry.steps.shift();
      if (next) this.apply(entry.message, next);
      if (entry.steps.length === 0) this.heldMessages.delete(entry.message.sid);
    }
    return entries.length;
  }

  /** Steps waiting on a timer (manual timing holds messages without one). */
  get scheduled(): number {
    return this.timers.size;
  }

  get held(): number {
    return this.heldMessages.size;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.heldMessages.clear();
  }

  private delays(): { sendingMs: number; sentMs: number; finalMs: number } {
    if (this.timing === 'instant' || this.timing === 'manual') return { sendingMs: 0, sentMs: 0, finalMs: 0 };
    if (this.timing === 'realistic') return REALISTIC_TIMING;
    return this.timing;
  }

  private schedule(message: StoredMessage, steps: Step[]): void {
    const next = steps.shift();
    if (!next) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.apply(message, next);
      this.schedule(message, steps);
    }, next.delayMs);
    this.timers.add(timer);
  }

  private apply(message: StoredMessage, step: Step): void {
    if (FINAL_STATUSES.has(message.status)) return;
    const at = this.now();
    message.status = step.status;
    message.dateUpdated = at;
    if (step.status === 'sent') {
      message.dateSent = at;
      message.price = (-PRICE_PER_SEGMENT * message.numSegments).toFixed(5);
    }
    if (step.errorCode !== null) {
      message.errorCode = step.errorCode;
      message.errorMessage = CARRIER_ERRORS[step.errorCode] ?? null;
    }
    this.onChange(message);
  }
}

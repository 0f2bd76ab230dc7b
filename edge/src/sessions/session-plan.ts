import { EXTEND_OFFER } from '@clubos/shared/notifications';

/**
 * Which session steps a booking needs now: pure, so the rules are tested without a clock or a
 * broker. Steps run in the order the bay's state machine accepts (prepare → start → warn → end).
 *
 * The clock-jump rule (an edge restart, a long outage, an NTP correction):
 * - while the booking is still running (now < end), every missed step runs, in order — the
 *   customer is in the bay, so a late prepare + start is better than none;
 * - once it is over (now >= end), missed prepare/start/warn are recorded as `skipped` (stale), and
 *   `end` runs only if the bay was prepared (an end to a bay never prepared would be refused by it);
 * - a step already recorded never runs again, whatever the clock says afterwards.
 */
export const SESSION_STEPS = ['prepare', 'start', 'warn', 'end'] as const;
export type SessionStep = (typeof SESSION_STEPS)[number];
export type StepName = SessionStep | 'no_show' | 'extend_offer';

export interface SessionTimings {
  /** `session.prepare` this long before the start (10 min). */
  prepareLeadMs: number;
  /** `session.warn` this long before the end (5 min). */
  warnLeadMs: number;
  /** No check-in this long after the start: the booking is released as a no-show. */
  noShowGraceMs: number;
  /** The "extend?" prompt this long before the end (10 min), while the next slot is free. */
  extendOfferLeadMs: number;
  /** How much the prompt offers (the cloud's `EXTEND_MINUTES`, 30). */
  extendOfferMinutes: number;
}

export const DEFAULT_SESSION_TIMINGS: SessionTimings = {
  prepareLeadMs: 10 * 60_000,
  warnLeadMs: 5 * 60_000,
  noShowGraceMs: 15 * 60_000,
  extendOfferLeadMs: EXTEND_OFFER.leadMinutes * 60_000,
  extendOfferMinutes: EXTEND_OFFER.minutes,
};

/**
 * Whether the "extend?" prompt may go now: the customer is in the bay (checked in, the session
 * started), it was not made yet, and it is between its time and the warn's (once the warn is due
 * the prompt is late; a clock jump past it makes none). Whether the next slot is free is the
 * caller's question, asked every tick of the window: a slot freed meanwhile still gets its prompt.
 */
export function extendOfferDue(
  booking: PlannedBooking,
  recorded: ReadonlyMap<StepName, string>,
  now: number,
  timings: SessionTimings,
): boolean {
  if (booking.status !== 'checked_in' || recorded.get('start') !== 'sent') return false;
  if (recorded.has('extend_offer') || recorded.has('warn')) return false;
  const from = booking.end_time - timings.extendOfferLeadMs;
  return now >= from && now < stepDueAt('warn', booking, timings);
}

export interface PlannedBooking {
  start_time: number;
  end_time: number;
  status: string;
}

export type StepAction = { step: StepName; action: 'run' | 'skip'; due_at: number; reason?: string };

const ACTIVE = new Set(['pending', 'confirmed', 'checked_in']);

export function stepDueAt(step: StepName, booking: PlannedBooking, timings: SessionTimings): number {
  switch (step) {
    case 'prepare':
      return booking.start_time - timings.prepareLeadMs;
    case 'start':
      return booking.start_time;
    case 'warn':
      return Math.max(booking.start_time, booking.end_time - timings.warnLeadMs);
    case 'end':
      return booking.end_time;
    case 'no_show':
      return booking.start_time + timings.noShowGraceMs;
    case 'extend_offer':
      return Math.max(booking.start_time, booking.end_time - timings.extendOfferLeadMs);
  }
}

/** `recorded`: the steps already in `session_steps` for this booking, with their outcome. */
export function planSessionSteps(
  booking: PlannedBooking,
  recorded: ReadonlyMap<StepName, string>,
  now: number,
  timings: SessionTimings,
): StepAction[] {
  const actions: StepAction[] = [];
  const prepared = () => {
    const outcome = recorded.get('prepare');
    return (
      outcome === 'sent' ||
      outcome === 'pending' ||
      actions.some((a) => a.step === 'prepare' && a.action === 'run')
    );
  };
  const due = (step: StepName) => stepDueAt(step, booking, timings);

  if (!ACTIVE.has(booking.status)) {
    // Cancelled, no-show or checked out early while the bay was set up: release the bay now.
    if (prepared() && !recorded.has('end'))
      actions.push({ step: 'end', action: 'run', due_at: Math.min(now, due('end')) });
    return actions;
  }
  const noShowDue = booking.status !== 'checked_in' && !recorded.has('no_show') && now >= due('no_show');
  for (const step of SESSION_STEPS) {
    if (recorded.has(step)) continue;
    if (now < due(step)) break;
    // Not checked in after the grace: no further step for this booking but its release.
    if (noShowDue) break;
    if (now >= booking.end_time && step !== 'end') {
      actions.push({
        step,
        action: 'skip',
        due_at: due(step),
        reason: 'stale: the session was over when the edge got to it',
      });
    } else if (step === 'end' && !prepared()) {
      actions.push({
        step,
        action: 'skip',
        due_at: due(step),
        reason: 'the bay was never prepared for this booking',
      });
    } else {
      actions.push({ step, action: 'run', due_at: due(step) });
    }
  }
  // A no-show releases the bay: after it, the caller re-plans with the new status (→ `end`).
  if (noShowDue) actions.push({ step: 'no_show', action: 'run', due_at: due('no_show') });
  return actions;
}

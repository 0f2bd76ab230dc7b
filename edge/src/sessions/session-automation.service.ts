import { randomUUID } from 'node:crypto';
import { type BayCommand, type BayPreferences, bayCommandTopic } from '@clubos/shared/mqtt';
import type { OutboxEventType } from '@clubos/shared/sync';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit.repository.js';
import { enqueueNinjaJob } from '../bays/ninja-job.repository.js';
import { ninjaDeviceId, SIMULATOR_CLEANUP, SIMULATOR_PREP } from '../bays/ninja-script.js';
import { bookingById, updateBooking } from '../bookings/booking.repository.js';
import type { EdgeDatabase } from '../db/database.js';
import { enqueueEvent } from '../sync/outbox.repository.js';
import {
  bayDevice,
  bayTakenBetween,
  customerName,
  markStepSent,
  openSessionSteps,
  pendingSteps,
  recordStep,
  type SessionBooking,
  sessionCandidates,
  stepsOf,
} from './session.repository.js';
import {
  DEFAULT_SESSION_TIMINGS,
  extendOfferDue,
  planSessionSteps,
  type SessionStep,
  type SessionTimings,
  type StepAction,
  type StepName,
  stepDueAt,
} from './session-plan.js';

export const NO_SHOW_EVENT = 'booking.no_show' satisfies OutboxEventType;

export interface SessionAutomationOptions {
  database: EdgeDatabase;
  facilityId: () => string | null;
  /** In-process MQTT publish (QoS 1 to the bay's command topic). */
  publish: (topic: string, payload: string) => Promise<void>;
  /**
   * What `session.prepare` carries; default: the booking's replicated preferences (the cloud sends
   * the booking's own, else the customer's stored ones), {} when the feed had none.
   */
  preferencesOf?: (booking: SessionBooking) => BayPreferences;
  /** Called after a NinjaOne job was queued, so the worker can run it at once. */
  wakeNinja?: () => void;
  timings?: Partial<SessionTimings>;
  log: Logger;
  now: () => number;
}

/** How far back a tick looks for sessions to finish (an edge down for longer just records skips). */
const LOOKBACK_MS = 6 * 3_600_000;

/**
 * Session automation driven by the replica (docs/decisions/008-mqtt-topics-and-qos.md topics): each tick
 * plans every candidate booking's due steps (see `session-plan.ts` for the clock-jump rule) and runs them.
 * A step is first RECORDED (with its command id, and its NinjaOne job in the same transaction),
 * then published; a step still `pending` after a crash is re-published with the same command id,
 * which the bay drops as a duplicate if it already had it. MQTT steps never wait for NinjaOne.
 */
export class SessionAutomationService {
  private readonly timings: SessionTimings;
  private running: Promise<void> | null = null;

  constructor(private readonly options: SessionAutomationOptions) {
    this.timings = { ...DEFAULT_SESSION_TIMINGS, ...options.timings };
  }

  /** One pass; concurrent calls share the pass in flight (cron and a manual tick never overlap). */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * A bay (re)connected: commands published while it was away or not yet resubscribed (an edge
   * restart) are lost at QoS 1 without a stored session, so the sent steps of its open session are
   * re-sent in order with their original command ids. A bay that kept them drops them as duplicates;
   * one that rebooted re-prepares the same booking, which its state machine allows.
   */
  async replay(bayId: string): Promise<number> {
    const { database } = this.options;
    const facilityId = this.options.facilityId();
    if (facilityId === null) return 0;
    let sent = 0;
    for (const step of openSessionSteps(database.db, bayId)) {
      const booking = bookingById(database.db, step.booking_id);
      if (booking === undefined || step.command_id === null) continue;
      if (!(await this.publish(facilityId, booking, step.step as SessionStep, step.command_id))) break;
      sent++;
    }
    return sent;
  }

  private async pass(): Promise<void> {
    const { database } = this.options;
    const facilityId = this.options.facilityId();
    if (facilityId === null) return;
    // Commands recorded but never handed to the broker (crash, broker down) go first, in order.
    const blocked = new Set<string>();
    for (const step of pendingSteps(database.db)) {
      const booking = bookingById(database.db, step.booking_id);
      if (booking === undefined || blocked.has(step.booking_id) || step.command_id === null) continue;
      if (!(await this.publish(facilityId, booking, step.step as SessionStep, step.command_id)))
        blocked.add(step.booking_id);
    }
    const now = this.options.now();
    for (const candidate of sessionCandidates(
      database.db,
      now - LOOKBACK_MS,
      now + this.timings.prepareLeadMs,
    )) {
      if (blocked.has(candidate.id)) continue;
      await this.advance(facilityId, candidate.id, now);
      await this.offerExtension(facilityId, candidate.id, now);
    }
  }

  private async advance(facilityId: string, bookingId: string, now: number): Promise<void> {
    const { database } = this.options;
    // Two rounds at most: a no-show changes the status, and the re-plan then ends the session.
    for (let round = 0; round < 2; round++) {
      const booking = bookingById(database.db, bookingId);
      if (booking === undefined) return;
      const recorded = new Map([...stepsOf(database.db, bookingId)].map(([k, v]) => [k, v.outcome]));
      const actions = planSessionSteps(booking, recorded, now, this.timings);
      if (actions.length === 0) return;
      for (const action of actions) {
        if (!(await this.execute(facilityId, booking, action, now))) return;
      }
      if (!actions.some((a) => a.step === 'no_show')) return;
    }
  }

  /**
   * "10 minutes left — extend?" on the bay PC, decided here from the replica (works offline too):
   * recorded once, like a step, only when the next slot on the bay is free; the cloud texts the
   * customer the link on its own timer (docs/decisions/011-notifications-outbox.md).
   */
  private async offerExtension(facilityId: string, bookingId: string, now: number): Promise<void> {
    const { database, log } = this.options;
    const booking = bookingById(database.db, bookingId);
    if (booking === undefined) return;
    const recorded = new Map([...stepsOf(database.db, bookingId)].map(([k, v]) => [k, v.outcome]));
    if (!extendOfferDue(booking, recorded, now, this.timings)) return;
    const until = booking.end_time + this.timings.extendOfferMinutes * 60_000;
    if (bayTakenBetween(database.db, booking.simulator_id, booking.end_time, until, booking.id)) return;
    const commandId = randomUUID();
    const step = {
      booking_id: booking.id,
      step: 'extend_offer',
      simulator_id: booking.simulator_id,
      due_at: stepDueAt('extend_offer', booking, this.timings),
      decided_at: now,
    };
    const fresh = database.immediate(() =>
      recordStep(database.db, { ...step, outcome: 'pending', command_id: commandId }),
    );
    if (!fresh) return;
    log.info({ booking: booking.id, bay: booking.simulator_id }, 'extend offer due: the next slot is free');
    await this.publish(facilityId, booking, 'extend_offer', commandId);
  }

  /** False when the step could not be completed now (the booking's later steps must wait). */
  private async execute(
    facilityId: string,
    booking: SessionBooking,
    action: StepAction,
    now: number,
  ): Promise<boolean> {
    const { database, log } = this.options;
    const base = {
      booking_id: booking.id,
      step: action.step,
      simulator_id: booking.simulator_id,
      due_at: action.due_at,
      decided_at: now,
    };
    if (action.action === 'skip') {
      database.immediate(() =>
        recordStep(database.db, { ...base, outcome: 'skipped', detail: action.reason ?? null }),
      );
      log.info({ booking: booking.id, step: action.step, reason: action.reason }, 'session step skipped');
      return true;
    }
    if (action.step === 'no_show') {
      this.markNoShow(booking, now);
      return true;
    }
    const step = action.step;
    const commandId = randomUUID();
    const script = step === 'prepare' ? SIMULATOR_PREP : step === 'end' ? SIMULATOR_CLEANUP : null;
    const deviceId = ninjaDeviceId(bayDevice(database.db, booking.simulator_id)?.ninjaone_device_id);
    let queued = false;
    const recorded = database.immediate(() => {
      if (!recordStep(database.db, { ...base, outcome: 'pending', command_id: commandId })) return false;
      if (script !== null && deviceId !== null) {
        enqueueNinjaJob(
          database.db,
          {
            job_key: `${booking.id}:${step}`,
            device_id: deviceId,
            script,
            parameters: {
              booking_id: booking.id,
              bay_id: booking.simulator_id,
              starts_at: new Date(booking.start_time).toISOString(),
              ends_at: new Date(booking.end_time).toISOString(),
              // A prep that could not run before the session ended is pointless (and would disturb the next one).
              ...(script === SIMULATOR_PREP ? { valid_until: booking.end_time } : {}),
            },
          },
          now,
        );
        queued = true;
      }
      return true;
    });
    if (!recorded) return true;
    if (queued) this.options.wakeNinja?.();
    return this.publish(facilityId, booking, step, commandId);
  }

  private markNoShow(booking: SessionBooking, now: number): void {
    const { database, log } = this.options;
    const released = database.immediate(() => {
      const current = bookingById(database.db, booking.id);
      const stillOpen =
        current !== undefined && (current.status === 'pending' || current.status === 'confirmed');
      const step = {
        booking_id: booking.id,
        step: 'no_show',
        simulator_id: booking.simulator_id,
        due_at: booking.start_time + this.timings.noShowGraceMs,
        decided_at: now,
      };
      if (!stillOpen) {
        recordStep(database.db, {
          ...step,
          outcome: 'skipped',
          detail: `status is ${current?.status ?? 'gone'}`,
        });
        return false;
      }
      if (!recordStep(database.db, { ...step, outcome: 'sent' })) return false;
      updateBooking(database.db, booking.id, { status: 'no_show', updated_at: now });
      enqueueEvent(database.db, {
        event_id: randomUUID(),
        type: NO_SHOW_EVENT,
        occurred_at: now,
        payload: { booking_id: booking.id, marked_at: new Date(now).toISOString() },
      });
      appendAudit(database.db, {
        at: now,
        kind: NO_SHOW_EVENT,
        actor: 'edge:sessions',
        subject: booking.id,
        decision: 'no_show',
        reason: 'no check-in within the grace period',
      });
      return true;
    });
    if (released) log.info({ booking: booking.id }, 'booking released as a no-show');
  }

  private async publish(
    facilityId: string,
    booking: SessionBooking,
    step: SessionStep | 'extend_offer',
    commandId: string,
  ): Promise<boolean> {
    const { database, log } = this.options;
    const command = this.command(booking, step, commandId);
    try {
      await this.options.publish(bayCommandTopic(facilityId, booking.simulator_id), JSON.stringify(command));
    } catch (error) {
      log.warn({ booking: booking.id, step, err: error }, 'session command not published; retried next tick');
      return false;
    }
    database.immediate(() => markStepSent(database.db, booking.id, step));
    log.info({ booking: booking.id, bay: booking.simulator_id, step }, `session.${step} sent`);
    return true;
  }

  private command(
    booking: SessionBooking,
    step: SessionStep | 'extend_offer',
    commandId: string,
  ): BayCommand {
    const issued = new Date(this.options.now()).toISOString();
    const base = { command_id: commandId, booking_id: booking.id, issued_at: issued };
    const iso = (ms: number) => new Date(ms).toISOString();
    switch (step) {
      case 'prepare': {
        const name = booking.customer_name ?? customerName(this.options.database.db, booking.customer_id);
        return {
          type: 'session.prepare',
          ...base,
          starts_at: iso(booking.start_time),
          ends_at: iso(booking.end_time),
          ...(name === null ? {} : { customer_name: name.slice(0, 200) }),
          preferences: this.options.preferencesOf?.(booking) ?? booking.preferences ?? {},
        };
      }
      case 'start':
        return { type: 'session.start', ...base, ends_at: iso(booking.end_time) };
      case 'warn':
        return {
          type: 'session.warn',
          ...base,
          minutes_left: Math.max(0, Math.ceil((booking.end_time - this.options.now()) / 60_000)),
        };
      case 'end':
        return { type: 'session.end', ...base };
      case 'extend_offer': {
        const minutes = this.timings.extendOfferMinutes;
        return {
          type: 'session.warn',
          ...base,
          minutes_left: Math.max(0, Math.ceil((booking.end_time - this.options.now()) / 60_000)),
          extend_offer: {
            minutes,
            until: iso(booking.end_time + minutes * 60_000),
            text: `10 minutes left. The next ${minutes} minutes on this bay are free: extend with the link we texted you, or at the desk.`,
          },
        };
      }
    }
  }
}

export type { StepName };

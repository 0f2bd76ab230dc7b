import { createHash, randomUUID } from 'node:crypto';
import { type AccessWindowOptions, accessWindow, isValidPin } from '@clubos/shared/credentials';
import type { OutboxEventType } from '@clubos/shared/sync';
import type { Logger } from 'pino';
import type { AlertService } from '../alerts/alert.service.js';
import { appendAudit } from '../audit/audit.repository.js';
import type { EdgeDatabase } from '../db/database.js';
import { enqueueEvent } from '../sync/outbox.repository.js';
import { verifyWithTrustedKeys } from '../walk-ins/walk-in-credentials.js';
import {
  bayDoorId,
  type DoorBooking,
  doorBookingById,
  doorBookingsByPin,
  facilityDoors,
  isRevoked,
} from './door-lookup.repository.js';
import { createNativeSignatureVerifier } from './native-signature.verifier.js';

export const DOOR_DECISION_EVENT = 'door.decision' satisfies OutboxEventType;

export type DoorCredential = { kind: 'qr_code'; text: string } | { kind: 'pin'; pin: string };

export const DOOR_DENIAL_REASONS = [
  'malformed',
  'forged',
  'wrong_facility',
  'revoked',
  'cancelled',
  'no_show',
  'unknown',
  'wrong_door',
  'not_yet_valid',
  'expired',
  /** The edge lacks the cloud's public key or has not loaded its facility yet. */
  'not_configured',
] as const;
export type DoorDenialReason = (typeof DOOR_DENIAL_REASONS)[number];

export interface DoorDecision {
  door_id: string;
  decision: 'granted' | 'denied';
  reason: 'valid' | DoorDenialReason;
  booking_id: string | null;
  credential: DoorCredential['kind'];
  decided_at: number;
}

/**
 * What the scanner (or kiosk) is told. `granted_unlock_failed`: the credential is good but UniFi
 * did not open the door (unreachable, lockdown); the person must ask staff, and nothing retries
 * the unlock later, when they may have walked away.
 */
export type DoorOutcome = 'granted' | 'granted_unlock_failed' | 'denied';

export interface DoorAccessResult extends DoorDecision {
  outcome: DoorOutcome;
  unlock_error: string | null;
}

export type DoorUnlocker = (doorId: string, context: { bookingId: string | null }) => Promise<void>;

export interface DoorAccessOptions {
  database: EdgeDatabase;
  /**
   * The cloud's Ed25519 key for QR tokens (docs/decisions/007-offline-door-credentials.md); null: every QR is
   * `not_configured`.
   */
  publicKey: Uint8Array | null;
  /** This edge's own key for the walk-ins it sold (walk-ins/walk-in-credentials.ts); null: none yet. */
  walkInKey?: () => Uint8Array | null;
  /** The facility this edge serves; null until known. */
  facilityId: () => string | null;
  /** Remote unlock (UniFi Access); null when no controller is configured. */
  unlock: DoorUnlocker | null;
  alerts?: AlertService;
  log: Logger;
  now: () => number;
  window?: AccessWindowOptions;
}

type Verdict = { reason: 'valid' | DoorDenialReason; bookingId: string | null };

const ACTIVE_OR_DONE = new Set(['pending', 'confirmed', 'checked_in', 'completed']);

/**
 * Door decisions at the edge, made from the replica alone so doors work without the internet.
 * Each decision is written to the audit log and queued for the cloud in ONE synchronous
 * transaction; the unlock (network) happens after it, so a slow controller never holds the database.
 */
export class DoorAccessService {
  private readonly verifySignature = createNativeSignatureVerifier();

  constructor(private readonly options: DoorAccessOptions) {}

  /** Decides and records; no network. The kiosk's self check-in uses this path too. */
  decide(
    doorId: string,
    credential: DoorCredential,
    actor: { name: string; scannerId?: string },
  ): DoorDecision {
    const { database } = this.options;
    const now = this.options.now();
    const verdict =
      credential.kind === 'qr_code'
        ? this.checkQr(doorId, credential.text, now)
        : this.checkPin(doorId, credential.pin, now);
    const decision: DoorDecision = {
      door_id: doorId,
      decision: verdict.reason === 'valid' ? 'granted' : 'denied',
      reason: verdict.reason,
      booking_id: verdict.bookingId,
      credential: credential.kind,
      decided_at: now,
    };
    database.immediate(() => {
      appendAudit(database.db, {
        at: now,
        kind: DOOR_DECISION_EVENT,
        actor: actor.name,
        subject: doorId,
        decision: decision.decision,
        reason: decision.reason,
        details: {
          door_id: doorId,
          booking_id: decision.booking_id,
          credential: credential.kind,
          credential_ref: credentialRef(credential),
          ...(actor.scannerId === undefined ? {} : { scanner_id: actor.scannerId }),
        },
      });
      enqueueEvent(database.db, {
        event_id: randomUUID(),
        type: DOOR_DECISION_EVENT,
        occurred_at: now,
        payload: {
          door_id: doorId,
          decision: decision.decision,
          reason: decision.reason,
          booking_id: decision.booking_id,
          credential: credential.kind,
          decided_at: new Date(now).toISOString(),
          ...(actor.scannerId === undefined ? {} : { scanner_id: actor.scannerId }),
        },
      });
    });
    return decision;
  }

  /** Decides, records, and for a grant asks UniFi to unlock the door (once, never retried). */
  async open(
    doorId: string,
    credential: DoorCredential,
    actor: { name: string; scannerId?: string },
  ): Promise<DoorAccessResult> {
    const decision = this.decide(doorId, credential, actor);
    if (decision.decision === 'denied') return { ...decision, outcome: 'denied', unlock_error: null };
    const { unlock } = this.options;
    if (unlock === null) {
      return this.unlockFailed(decision, actor, 'no UniFi Access controller is configured on this edge');
    }
    try {
      await unlock(doorId, { bookingId: decision.booking_id });
    } catch (error) {
      return this.unlockFailed(decision, actor, error instanceof Error ? error.message : String(error));
    }
    return { ...decision, outcome: 'granted', unlock_error: null };
  }

  private unlockFailed(decision: DoorDecision, actor: { name: string }, message: string): DoorAccessResult {
    const { database, log, now } = this.options;
    database.immediate(() =>
      appendAudit(database.db, {
        at: now(),
        kind: 'door.unlock_failed',
        actor: actor.name,
        subject: decision.door_id,
        decision: 'granted',
        reason: 'unlock_failed',
        details: { booking_id: decision.booking_id, error: message },
      }),
    );
    log.warn(
      { door: decision.door_id, booking: decision.booking_id, err: message },
      'granted but the door did not unlock',
    );
    this.options.alerts?.raise({
      dedupe_key: `door_unlock_failed:${decision.door_id}`,
      kind: 'door_unlock_failed',
      severity: 'warning',
      subject: decision.door_id,
      message: `door ${decision.door_id}: a valid credential was accepted but UniFi did not unlock (${message})`,
    });
    return { ...decision, outcome: 'granted_unlock_failed', unlock_error: message };
  }

  /**
   * Order, so each reason means one thing: malformed → forged → wrong_facility (the token alone) →
   * revoked → cancelled/no_show (the replica's word beats a still-valid signature) → wrong_door →
   * not_yet_valid / expired (token times, then the replica's window, which wins if the booking moved).
   */
  private checkQr(doorId: string, text: string, now: number): Verdict {
    const keys = [this.options.publicKey, this.options.walkInKey?.() ?? null];
    const facilityId = this.options.facilityId();
    const result =
      facilityId === null
        ? null
        : verifyWithTrustedKeys(text, keys, {
            facilityId,
            door: doorId,
            now,
            verifySignature: this.verifySignature,
          });
    if (result === null) return { reason: 'not_configured', bookingId: null };
    if (result.claims === undefined)
      return { reason: result.ok ? 'malformed' : result.reason, bookingId: null };
    const bookingId = result.claims.booking_id;
    if (!result.ok && result.reason === 'wrong_facility') return { reason: 'wrong_facility', bookingId };
    const booking = doorBookingById(this.options.database.db, bookingId);
    const standing = this.standing(bookingId, booking, now);
    if (standing !== null) return { reason: standing, bookingId };
    if (!result.ok) return { reason: result.reason, bookingId };
    // A booking the replica does not hold yet (sold while the link was down) is trusted on its signature.
    return { reason: booking === undefined ? 'valid' : this.windowReason(booking, now), bookingId };
  }

  private checkPin(doorId: string, pin: string, now: number): Verdict {
    if (!isValidPin(pin)) return { reason: 'malformed', bookingId: null };
    const { db } = this.options.database;
    const booking = pickByWindow(doorBookingsByPin(db, pin), now, (b) => this.window(b));
    if (booking === undefined) return { reason: 'unknown', bookingId: null };
    const standing = this.standing(booking.id, booking, now);
    if (standing !== null) return { reason: standing, bookingId: booking.id };
    const bayDoor = bayDoorId(db, booking.simulator_id);
    const doors = [...facilityDoors(db).entranceDoorIds, ...(bayDoor === null ? [] : [bayDoor])];
    if (!doors.includes(doorId)) return { reason: 'wrong_door', bookingId: booking.id };
    return { reason: this.windowReason(booking, now), bookingId: booking.id };
  }

  private standing(
    bookingId: string,
    booking: DoorBooking | undefined,
    now: number,
  ): DoorDenialReason | null {
    if (isRevoked(this.options.database.db, bookingId, now)) return 'revoked';
    if (booking === undefined) return null;
    if (booking.status === 'cancelled') return 'cancelled';
    if (booking.status === 'no_show') return 'no_show';
    if (!ACTIVE_OR_DONE.has(booking.status)) return 'cancelled';
    return null;
  }

  private window(booking: DoorBooking) {
    return accessWindow({ start: booking.start_time, end: booking.end_time }, this.options.window);
  }

  private windowReason(booking: DoorBooking, now: number): 'valid' | 'not_yet_valid' | 'expired' {
    const window = this.window(booking);
    if (now < window.start) return 'not_yet_valid';
    if (now >= window.end) return 'expired';
    return 'valid';
  }
}

/** The booking whose window holds `now`, else the one whose window is nearest to it. */
function pickByWindow<T extends DoorBooking>(
  candidates: T[],
  now: number,
  windowOf: (b: T) => { start: number; end: number },
): T | undefined {
  let best: T | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const booking of candidates) {
    const w = windowOf(booking);
    const distance = now < w.start ? w.start - now : now >= w.end ? now - w.end + 1 : 0;
    // Among equals, prefer a live booking over a cancelled one sharing the PIN.
    const live = booking.status !== 'cancelled' && booking.status !== 'no_show';
    if (distance < bestDistance || (distance === bestDistance && live)) {
      best = booking;
      bestDistance = distance;
    }
  }
  return best;
}

/** What the audit keeps of a credential: enough to correlate scans, never the PIN or the token. */
function credentialRef(credential: DoorCredential): string {
  if (credential.kind === 'pin') return `pin:**${credential.pin.slice(-2)}`;
  return `qr:${createHash('sha256').update(credential.text.trim()).digest('hex').slice(0, 16)}`;
}

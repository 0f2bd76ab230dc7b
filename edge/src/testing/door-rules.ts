import pino from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { AlertService } from '../alerts/alert.service.js';
import { auditSince } from '../audit/audit.repository.js';
import { type EdgeDatabase, openDatabase } from '../db/database.js';
import { type DoorAccessOptions, DoorAccessService } from '../doors/door-access.service.js';
import { type Clock, MINUTE, newVenue, seedVenue, testClock } from './facility-control.js';

/** The door-rule suites' venue, clock start and default access window (15 minutes either side). */
export const DOOR_VENUE = newVenue();
export const DOOR_T0 = Date.UTC(2026, 5, 1, 18, 0);
export const DOOR_GRACE = 15 * MINUTE;
export const SCANNER = { name: 'scanner:front' };
export const pinScan = (value: string) => ({ kind: 'pin' as const, pin: value });
export const qrScan = (text: string) => ({ kind: 'qr_code' as const, text });

export interface DoorRulesWorld {
  readonly database: EdgeDatabase;
  readonly clock: Clock;
  /** Unlocks the service asked for, in order. */
  readonly unlocked: { doorId: string; bookingId: string | null }[];
  readonly alerts: AlertService;
  /** A DoorAccessService on this world's replica, unlocking into `unlocked`. */
  service(overrides?: Partial<DoorAccessOptions>): DoorAccessService;
  lastAudit(): ReturnType<typeof auditSince>[number] | undefined;
}

/**
 * Door decisions straight through DoorAccessService on a fresh in-memory replica per test (no
 * broker, no UniFi): registers the suite's beforeEach/afterEach and returns the world they fill.
 */
export function doorRulesWorld(): DoorRulesWorld {
  const log = pino({ level: 'silent' });
  let database: EdgeDatabase;
  let clock: Clock;
  let unlocked: { doorId: string; bookingId: string | null }[];
  let alerts: AlertService;
  beforeEach(() => {
    database = openDatabase(':memory:');
    seedVenue(database, DOOR_VENUE);
    clock = testClock(DOOR_T0);
    unlocked = [];
    alerts = new AlertService(database, log, clock.now);
  });
  afterEach(() => database.close());
  return {
    get database() {
      return database;
    },
    get clock() {
      return clock;
    },
    get unlocked() {
      return unlocked;
    },
    get alerts() {
      return alerts;
    },
    service: (overrides = {}) =>
      new DoorAccessService({
        database,
        publicKey: DOOR_VENUE.keys.publicKey,
        facilityId: () => DOOR_VENUE.facilityId,
        unlock: async (doorId, context) => {
          unlocked.push({ doorId, bookingId: context.bookingId });
        },
        alerts,
        log,
        now: clock.now,
        ...overrides,
      }),
    lastAudit: () => auditSince(database.db, 0, 1)[0],
  };
}

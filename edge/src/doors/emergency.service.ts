import { EMERGENCY_MODES, type EmergencyMode } from '@clubos/shared/api/edge-lan';
import { DomainError } from '@clubos/shared/errors';
import type { Logger } from 'pino';
import type { AlertService } from '../alerts/alert.service.js';
import { appendAudit } from '../audit/audit.repository.js';
import type { EdgeDatabase } from '../db/database.js';
import { type UnifiAccessClient, type UnifiEmergency, UnifiError } from './unifi-access.client.js';

export { EMERGENCY_MODES, type EmergencyMode };

export interface EmergencyServiceOptions {
  database: EdgeDatabase;
  client: UnifiAccessClient;
  alerts: AlertService;
  log: Logger;
  now: () => number;
}

/**
 * Venue-wide emergency modes on the UniFi controller, for staff only (the route checks the role).
 * `normal` releases both. Every change is audited with who asked; an active mode stays an open
 * critical alert until it is released, so no one forgets a locked-down venue.
 */
export class EmergencyService {
  constructor(private readonly options: EmergencyServiceOptions) {}

  async set(mode: EmergencyMode, actor: string): Promise<UnifiEmergency> {
    const { client, database, alerts, now } = this.options;
    const settings: UnifiEmergency = { lockdown: mode === 'lockdown', evacuation: mode === 'evacuation' };
    try {
      await client.setEmergency(settings);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      database.immediate(() =>
        appendAudit(database.db, {
          at: now(),
          kind: 'door.emergency',
          actor,
          subject: 'all_doors',
          decision: mode,
          reason: 'controller_failed',
          details: { error: message },
        }),
      );
      const unreachable = error instanceof UnifiError && error.retryable;
      throw new DomainError('NOT_READY', `UniFi Access did not apply ${mode}: ${message}`, {
        extra: { unreachable },
      });
    }
    database.immediate(() =>
      appendAudit(database.db, {
        at: now(),
        kind: 'door.emergency',
        actor,
        subject: 'all_doors',
        decision: mode,
        reason: 'applied',
      }),
    );
    if (mode === 'normal') {
      alerts.resolve('emergency_mode');
      // Staff hear of the release as of the start (email per role through the outbox); it is a
      // notice, not an open incident, so it is resolved as it is raised. Its own key per release.
      const key = `emergency_mode:released:${now()}`;
      alerts.raise({
        dedupe_key: key,
        kind: 'emergency_mode',
        severity: 'warning',
        subject: mode,
        message: `Emergency mode released: all doors back to normal (by ${actor})`,
      });
      alerts.resolve(key);
    } else {
      alerts.resolve('emergency_mode');
      alerts.raise({
        dedupe_key: 'emergency_mode',
        kind: 'emergency_mode',
        severity: 'critical',
        subject: mode,
        message: `${mode} is active (set by ${actor})`,
      });
    }
    this.options.log.warn({ mode, actor }, 'emergency mode changed');
    return settings;
  }

  current(): Promise<UnifiEmergency> {
    return this.options.client.getEmergency();
  }
}

import type { Logger } from 'pino';
import type { AlertService } from '../alerts/alert.service.js';
import type { EdgeDatabase } from '../db/database.js';
import { baysWithNinjaDevice } from './bay-device.repository.js';
import { ninjaDeviceId } from './ninja-script.js';
import { type NinjaOneClient, NinjaOneError } from './ninjaone.client.js';

export interface BayHealthOptions {
  database: EdgeDatabase;
  client: NinjaOneClient;
  alerts: AlertService;
  log: Logger;
  now: () => number;
}

export interface BayHealth {
  simulator_id: string;
  device_id: number;
  status: 'online' | 'offline' | 'alerting' | 'unknown';
  detail: string | null;
}

/**
 * Periodic NinjaOne check of every bay PC: offline agents and open NinjaOne alerts become staff
 * alerts (resolved when they clear); NinjaOne itself unreachable is one alert, not one per bay.
 */
export class BayHealthService {
  constructor(private readonly options: BayHealthOptions) {}

  async checkAll(): Promise<BayHealth[]> {
    const { alerts } = this.options;
    const results: BayHealth[] = [];
    for (const bay of this.bayDevices()) {
      try {
        const status = await this.options.client.deviceStatus(bay.deviceId);
        alerts.resolve('ninjaone_health_unreachable');
        const offlineKey = `ninja_offline:${bay.id}`;
        const alertKey = `ninja_alert:${bay.id}`;
        if (!status.online) {
          alerts.raise({
            dedupe_key: offlineKey,
            kind: 'bay_pc_offline',
            severity: 'warning',
            subject: bay.id,
            message: `${bay.name}: NinjaOne reports ${status.systemName} offline`,
          });
        } else alerts.resolve(offlineKey);
        const open = status.alerts.filter((a) => !a.uid.startsWith('offline-'));
        if (open.length > 0) {
          alerts.raise({
            dedupe_key: alertKey,
            kind: 'bay_pc_alert',
            severity: 'warning',
            subject: bay.id,
            message: `${bay.name}: ${open.map((a) => a.message).join('; ')}`,
          });
        } else alerts.resolve(alertKey);
        results.push({
          simulator_id: bay.id,
          device_id: bay.deviceId,
          status: !status.online ? 'offline' : open.length > 0 ? 'alerting' : 'online',
          detail: open.length > 0 ? open.map((a) => a.message).join('; ') : null,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof NinjaOneError && error.kind === 'not_found') {
          alerts.raise({
            dedupe_key: `ninja_missing:${bay.id}`,
            kind: 'bay_pc_unknown',
            severity: 'warning',
            subject: bay.id,
            message: `${bay.name}: NinjaOne has no device ${bay.deviceId}`,
          });
        } else {
          alerts.raise({
            dedupe_key: 'ninjaone_health_unreachable',
            kind: 'ninjaone_unreachable',
            severity: 'warning',
            subject: null,
            message: `NinjaOne health check failed: ${message}`,
          });
        }
        results.push({ simulator_id: bay.id, device_id: bay.deviceId, status: 'unknown', detail: message });
      }
    }
    return results;
  }

  private bayDevices(): { id: string; name: string; deviceId: number }[] {
    return baysWithNinjaDevice(this.options.database.db).flatMap((r) => {
      const deviceId = ninjaDeviceId(r.device);
      return deviceId === null ? [] : [{ id: r.id, name: r.name, deviceId }];
    });
  }
}

import type { Logger } from 'pino';
import type { AlertService } from '../alerts/alert.service.js';
import type { EdgeDatabase } from '../db/database.js';
import { readCursor, writeCursor } from './control-cursor.repository.js';
import type { UnifiAccessClient, UnifiLogHit } from './unifi-access.client.js';

export interface DoorEventsOptions {
  database: EdgeDatabase;
  client: UnifiAccessClient;
  alerts: AlertService;
  log: Logger;
  now: () => number;
  /** Denied attempts at one door within one poll that make a burst alert. */
  deniedBurst?: number;
}

const CURSOR = 'unifi_door_events';
const PAGE = 100;

/**
 * Door events from UniFi Access (forced open, held open, bursts of denied PINs) pulled from the
 * controller's system log and turned into staff alerts. With `UNIFI_WEBHOOK_URL` set, forced/held
 * open also arrive at once by webhook (`unifi-webhook.service.ts`); this poll stays as the fallback
 * that needs no inbound port and catches up by itself after an outage (the cursor is the newest
 * `published`).
 */
export class DoorEventsService {
  constructor(private readonly options: DoorEventsOptions) {}

  async poll(): Promise<number> {
    const { database, client } = this.options;
    const cursor = readCursor(database.db, CURSOR);
    const since = Math.floor(cursor / 1000);
    const [critical, openings] = await Promise.all([
      client.fetchSystemLogs({ topic: 'critical', since, pageSize: PAGE }),
      client.fetchSystemLogs({ topic: 'door_openings', since, pageSize: PAGE }),
    ]);
    const fresh = [...critical.hits, ...openings.hits].filter((h) => h._source.event.published > cursor);
    let raised = 0;
    const denied = new Map<string, number>();
    for (const hit of fresh) {
      const type = hit._source.event.type;
      const door = doorOf(hit);
      if (type === 'access.door.forced_open' || type === 'access.door.held_open') {
        raiseDoorPositionAlert(this.options.alerts, {
          event: type === 'access.door.forced_open' ? 'forced_open' : 'held_open',
          door,
          message: hit._source.event.display_message,
          details: { unifi_log_id: hit._id, at: hit._source.event.published },
        });
        raised++;
      } else if (hit._source.event.result === 'BLOCKED' && type === 'access.door.unlock') {
        denied.set(door.id, (denied.get(door.id) ?? 0) + 1);
      }
    }
    for (const [doorId, n] of denied) {
      if (n < (this.options.deniedBurst ?? 5)) continue;
      this.options.alerts.raise({
        dedupe_key: `door_denied_burst:${doorId}`,
        kind: 'door_denied_burst',
        severity: 'warning',
        subject: doorId,
        message: `${n} denied attempts at door ${doorId}`,
      });
      raised++;
    }
    const newest = fresh.reduce((max, h) => Math.max(max, h._source.event.published), cursor);
    if (newest > cursor) {
      database.immediate(() => writeCursor(database.db, CURSOR, newest));
    }
    return raised;
  }
}

/**
 * A door forced or held open, from the log poll or a webhook: both raise under the same key, so the
 * alert is raised once whichever arrives first.
 */
export function raiseDoorPositionAlert(
  alerts: AlertService,
  input: {
    event: 'forced_open' | 'held_open';
    door: { id: string; name: string };
    message: string;
    details: Record<string, unknown>;
  },
): void {
  const kind = input.event === 'forced_open' ? 'door_forced_open' : 'door_held_open';
  alerts.raise({
    dedupe_key: `${kind}:${input.door.id}`,
    kind,
    severity: kind === 'door_forced_open' ? 'critical' : 'warning',
    subject: input.door.id,
    message: `${input.door.name}: ${input.message}`,
    details: input.details,
  });
}

function doorOf(hit: UnifiLogHit): { id: string; name: string } {
  const target = hit._source.target?.find((t) => t.type === 'door');
  return { id: target?.id ?? 'unknown', name: target?.display_name ?? 'a door' };
}

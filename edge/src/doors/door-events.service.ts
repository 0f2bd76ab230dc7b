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
 * controller's system log and turned into staff alerts. Polling, not webhooks: it needs no inbound
 * port on the edge and catches up by itself after an outage (the cursor is the newest `published`).
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
        const kind = type === 'access.door.forced_open' ? 'door_forced_open' : 'door_held_open';
        this.options.alerts.raise({
          dedupe_key: `${kind}:${door.id}`,
          kind,
          severity: kind === 'door_forced_open' ? 'critical' : 'warning',
          subject: door.id,
          message: `${door.name}: ${hit._source.event.display_message}`,
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

function doorOf(hit: UnifiLogHit): { id: string; name: string } {
  const target = hit._source.target?.find((t) => t.type === 'door');
  return { id: target?.id ?? 'unknown', name: target?.display_name ?? 'a door' };
}

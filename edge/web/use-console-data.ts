import { useCallback, useEffect, useState } from 'react';
import type { Alert, AuditEntry, Board, Booking, ConsoleApi, Emergency, SyncStatus } from './console-api.js';

export interface ConsoleData {
  board: Board | null;
  alerts: Alert[];
  audit: AuditEntry[];
  sync: SyncStatus | null;
  attention: Booking[];
  /** Null when no door controller is configured (or it did not answer). */
  emergency: Emergency | null;
  live: boolean;
  error: string | null;
}

const EMPTY: ConsoleData = {
  board: null,
  alerts: [],
  audit: [],
  sync: null,
  attention: [],
  emergency: null,
  live: false,
  error: null,
};

/**
 * Everything the console shows, reloaded whenever the edge's event stream says something changed
 * (and every 15 s in case the stream dropped). Each part fails alone: a missing door controller
 * must not blank the board.
 */
export function useConsoleData(api: ConsoleApi, token: string): [ConsoleData, () => void] {
  const [data, setData] = useState<ConsoleData>(EMPTY);

  const reload = useCallback(() => {
    const settle = <T>(p: Promise<T>) =>
      p.then((v) => ({ ok: true as const, v })).catch((e: Error) => ({ ok: false as const, e }));
    void Promise.all([
      settle(api.board()),
      settle(api.alerts()),
      settle(api.audit()),
      settle(api.sync()),
      settle(api.attention()),
      settle(api.emergency()),
    ]).then(([board, alerts, audit, sync, attention, emergency]) =>
      setData((d) => ({
        ...d,
        board: board.ok ? board.v : d.board,
        alerts: alerts.ok ? alerts.v.alerts : d.alerts,
        audit: audit.ok ? audit.v.entries : d.audit,
        sync: sync.ok ? sync.v : d.sync,
        attention: attention.ok ? attention.v.bookings : d.attention,
        emergency: emergency.ok ? emergency.v : null,
        error: board.ok ? null : board.e.message,
      })),
    );
  }, [api]);

  useEffect(() => {
    reload();
    const source = new EventSource(`/api/v1/console/events?token=${encodeURIComponent(token)}`);
    source.addEventListener('ready', () => setData((d) => ({ ...d, live: true })));
    source.addEventListener('change', reload);
    source.onerror = () => setData((d) => ({ ...d, live: false }));
    const timer = window.setInterval(reload, 15_000);
    return () => {
      source.close();
      window.clearInterval(timer);
    };
  }, [reload, token]);

  return [data, reload];
}

import { useEffect, useRef, useState } from 'react';
import type { KioskApi, SyncStatus } from './kiosk-api.js';
import { createWedgeBuffer } from './wedge-buffer.js';

/** Calls `onScan` with whatever a keyboard-wedge scanner types, wherever focus is. */
export function useWedgeScanner(gapMs: number, onScan: (text: string) => void): void {
  const handler = useRef(onScan);
  handler.current = onScan;
  useEffect(() => {
    const buffer = createWedgeBuffer({ gapMs });
    const listener = (event: KeyboardEvent) => {
      const scanned = buffer.push(event.key, event.timeStamp);
      if (scanned !== null) {
        event.preventDefault();
        handler.current(scanned);
      }
    };
    window.addEventListener('keydown', listener, { capture: true });
    return () => window.removeEventListener('keydown', listener, { capture: true });
  }, [gapMs]);
}

/** Runs `onIdle` after `seconds` without a touch, click or key (only while `active`). */
export function useIdleReset(seconds: number, active: boolean, onIdle: () => void): void {
  const handler = useRef(onIdle);
  handler.current = onIdle;
  useEffect(() => {
    if (!active) return;
    let timer = window.setTimeout(() => handler.current(), seconds * 1000);
    const poke = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => handler.current(), seconds * 1000);
    };
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, poke, { capture: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, poke, { capture: true });
    };
  }, [seconds, active]);
}

/** The edge's view of the cloud link, polled; null until the first answer (or if the edge is down). */
export function useSyncStatus(api: KioskApi, everyMs: number): SyncStatus | null {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let stopped = false;
    const tick = () =>
      api
        .syncStatus()
        .then((s) => !stopped && setStatus(s))
        .catch(() => !stopped && setStatus(null));
    void tick();
    const timer = window.setInterval(tick, everyMs);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [api, everyMs]);
  return status;
}

import type { AvailabilityResponse } from '@clubos/shared/api';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import { timeIn } from '../shared-ui/format.js';
import { useSession } from '../shared-ui/session.js';
import { fetchAvailability, session } from './site-api.js';

export interface AvailabilityState {
  data: AvailabilityResponse | null;
  loading: boolean;
  error: string | null;
  /** Last live-update sentence for the aria-live region. */
  announcement: string;
  /** Whether the live stream is connected. */
  live: boolean;
  reload: () => void;
}

function slotKeys(data: AvailabilityResponse): Map<string, string> {
  const keys = new Map<string, string>();
  for (const bay of data.simulators) {
    for (const slot of bay.slots) keys.set(`${bay.simulator_id}|${slot.start_time}`, bay.name);
  }
  return keys;
}

/**
 * Free slots of every bay for one date and duration, kept live: the page listens to
 * `/api/v1/availability/events` and refetches when the venue's change log moves, then announces
 * what disappeared or appeared (so a screen-reader user hears that a slot was just taken).
 * Prices are the visitor's: a signed-in member sees their member prices, and signing in or out
 * reloads the grid.
 */
export function useAvailability(
  facilityId: string | null,
  date: string,
  duration: number,
  zone: string,
): AvailabilityState {
  const [data, setData] = useState<AvailabilityResponse | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [live, setLive] = useState(false);
  const latest = useRef(0);
  const previous = useRef<AvailabilityResponse | null>(null);
  const visitor = useSession(session)?.user.id ?? null;

  const load = useCallback(
    async (reason: 'query' | 'live') => {
      if (!facilityId) return;
      const ticket = ++latest.current;
      if (reason === 'query') setLoading(true);
      try {
        const next = await fetchAvailability(
          facilityId,
          date,
          duration,
          undefined,
          visitor === null ? 'public' : 'visitor',
        );
        if (ticket !== latest.current) return; // a newer request superseded this one
        const before = previous.current;
        if (reason === 'live' && before && before.date === next.date && before.duration === next.duration) {
          const was = slotKeys(before);
          const now = slotKeys(next);
          const gone = [...was.keys()].filter((k) => !now.has(k));
          const added = [...now.keys()].filter((k) => !was.has(k));
          const say = (k: string, map: Map<string, string>) =>
            `${map.get(k)} at ${timeIn(k.split('|')[1]!, zone)}`;
          if (gone.length > 0)
            setAnnouncement(
              `Just booked: ${gone
                .slice(0, 3)
                .map((k) => say(k, was))
                .join(', ')}.`,
            );
          else if (added.length > 0)
            setAnnouncement(
              `Now free: ${added
                .slice(0, 3)
                .map((k) => say(k, now))
                .join(', ')}.`,
            );
        }
        previous.current = next;
        setData(next);
        setError(null);
      } catch (e) {
        if (ticket === latest.current) setError(errorText(e));
      } finally {
        if (ticket === latest.current) setLoading(false);
      }
    },
    [facilityId, date, duration, zone, visitor],
  );

  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    void load('query');
  }, [load]);

  useEffect(() => {
    if (!facilityId || typeof EventSource === 'undefined') return;
    const source = new EventSource(
      `/api/v1/availability/events?facility_id=${encodeURIComponent(facilityId)}`,
    );
    const onChange = () => void loadRef.current('live');
    // `ready` comes on every (re)connect: anything missed while disconnected is picked up.
    let first = true;
    const onReady = () => {
      setLive(true);
      if (!first) void loadRef.current('live');
      first = false;
    };
    source.addEventListener('change', onChange);
    source.addEventListener('ready', onReady);
    source.onerror = () => setLive(false);
    return () => source.close();
  }, [facilityId]);

  return { data, loading, error, announcement, live, reload: () => void load('query') };
}

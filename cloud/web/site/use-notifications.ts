import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import type { InAppNotification, InAppNotificationList } from '../shared-ui/api-types.js';
import { session } from './site-api.js';

export interface NotificationsState {
  items: InAppNotification[] | null;
  unread: number;
  error: string | null;
  /** Whether the live stream is connected. */
  live: boolean;
  /** The newest title that arrived live, for the aria-live region. */
  announcement: string;
  markRead: (id: number) => Promise<void>;
  reload: () => void;
}

/**
 * Reads `/api/v1/me/notifications/events` with `fetch` (the stream needs the bearer token, which
 * EventSource cannot send) and calls `onEvent` per event; resolves when the stream ends.
 */
async function readStream(signal: AbortSignal, onEvent: (event: string) => void): Promise<number> {
  const token = session.get()?.access_token;
  const response = await fetch('/api/v1/me/notifications/events', {
    headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    signal,
  });
  if (!response.ok || !response.body) return response.status;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return 0;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const event = /^event: (.+)$/m.exec(buffer.slice(0, end))?.[1];
      buffer = buffer.slice(end + 2);
      if (event) onEvent(event);
    }
  }
}

/**
 * The signed-in customer's notifications, kept live: a `change` on the stream (a booking confirmed,
 * moved or cancelled anywhere, a reminder sent) reloads the list; a reconnect reloads it once.
 */
export function useNotifications(): NotificationsState {
  const [list, setList] = useState<InAppNotificationList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const newest = useRef<number | null>(null);

  const load = useCallback(async (reason: 'open' | 'live') => {
    try {
      const next = await session.authed<InAppNotificationList>('/me/notifications');
      const top = next.notifications[0];
      if (reason === 'live' && top && newest.current !== null && top.id > newest.current) {
        setAnnouncement(`New notification: ${top.title}.`);
      }
      newest.current = top?.id ?? 0;
      setList(next);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);

  useEffect(() => {
    void load('open');
    const abort = new AbortController();
    let stopped = false;
    const connect = async () => {
      let first = true;
      while (!stopped) {
        const status = await readStream(abort.signal, (event) => {
          if (event === 'ready') {
            setLive(true);
            if (!first) void load('live');
            first = false;
          } else if (event === 'change') void load('live');
        }).catch(() => -1);
        setLive(false);
        if (stopped) return;
        // A refused token: one authed call renews it (or signs out) before the next attempt.
        if (status === 401) await load('live');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    };
    void connect();
    return () => {
      stopped = true;
      abort.abort();
    };
  }, [load]);

  const markRead = async (id: number) => {
    try {
      await session.authed(`/me/notifications/${id}/read`, { method: 'POST' });
      await load('open');
    } catch (e) {
      setError(errorText(e));
    }
  };

  return {
    items: list?.notifications ?? null,
    unread: list?.unread ?? 0,
    error,
    live,
    announcement,
    markRead,
    reload: () => void load('open'),
  };
}

import type { TokenResponse } from '@clubos/shared/api';
import { useSyncExternalStore } from 'react';
import { ApiError, api, type RequestOptions } from './api.js';

export type Session = Pick<TokenResponse, 'access_token' | 'refresh_token' | 'user'>;

/**
 * The logged-in user of one app (site or dashboard, each under its own storage key), kept in
 * localStorage so a reload keeps you signed in; `authed` refreshes the access token once on a 401.
 */
export class SessionStore {
  private listeners = new Set<() => void>();
  private current: Session | null;

  constructor(private readonly key: string) {
    this.current = SessionStore.read(key);
  }

  private static read(key: string): Session | null {
    try {
      const raw = localStorage.getItem(key);
      return raw ? (JSON.parse(raw) as Session) : null;
    } catch {
      return null;
    }
  }

  get = (): Session | null => this.current;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(session: Session | null): void {
    this.current = session;
    if (session) localStorage.setItem(this.key, JSON.stringify(session));
    else localStorage.removeItem(this.key);
    for (const listener of this.listeners) listener();
  }

  async login(email: string, password: string): Promise<Session> {
    const res = await api<TokenResponse>('/auth/login', { method: 'POST', body: { email, password } });
    this.set(res);
    return res;
  }

  async logout(): Promise<void> {
    const session = this.current;
    this.set(null);
    if (session) {
      await api('/auth/logout', {
        method: 'POST',
        token: session.access_token,
        body: { refresh_token: session.refresh_token },
      }).catch(() => undefined);
    }
  }

  /** An API call as the signed-in user (anonymous when signed out). */
  async authed<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const session = this.current;
    try {
      return await api<T>(path, { ...options, token: session?.access_token });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !session) throw error;
      try {
        const fresh = await api<TokenResponse>('/auth/refresh', {
          method: 'POST',
          body: { refresh_token: session.refresh_token },
        });
        this.set(fresh);
        return await api<T>(path, { ...options, token: fresh.access_token });
      } catch (refreshError) {
        if (refreshError instanceof ApiError && refreshError.status === 401) this.set(null);
        throw refreshError;
      }
    }
  }
}

export function useSession(store: SessionStore): Session | null {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

import type { TokenResponse } from '@clubos/shared/api';
import { useSyncExternalStore } from 'react';
import { ApiError, api, type RequestOptions } from './api.js';
import { forgetRenewal, recordRenewal, renewalOf } from './renewal-handoff.js';

export type Session = Pick<TokenResponse, 'access_token' | 'refresh_token' | 'user'>;

/**
 * The logged-in user of one app (site or dashboard, each under its own storage key), kept in
 * localStorage so a reload keeps you signed in; `authed` renews the access token on a 401, with
 * one refresh for every call and tab that needs it (`renewed`).
 */
export class SessionStore {
  private listeners = new Set<() => void>();
  private current: Session | null;
  /** The refresh in flight: every call that finds the access token expired waits for this one. */
  private refreshing: Promise<Session> | null = null;

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
    else {
      localStorage.removeItem(this.key);
      forgetRenewal(this.key);
    }
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
      const fresh = await this.renewed(session, error);
      try {
        return await api<T>(path, { ...options, token: fresh.access_token });
      } catch (retryError) {
        // A renewed token refused too: the account was deactivated or its sessions ended.
        if (retryError instanceof ApiError && retryError.status === 401) this.set(null);
        throw retryError;
      }
    }
  }

  /**
   * A session to use instead of `stale`, whose access token was refused. A refresh token works
   * once and the API revokes the whole session when one is spent twice, so the calls of this tab
   * that fail together share one renewal, and tabs (which share the session in localStorage) take
   * turns under a Web Lock: a tab that finds the token already renewed (in localStorage, or in the
   * handoff the renewing tab leaves before it lets go of the lock) takes it as is.
   */
  private renewed(stale: Session, refused: ApiError): Promise<Session> {
    if (!this.refreshing) {
      const renew = () => this.renewUnlessRenewed(stale, refused);
      const locks = globalThis.navigator?.locks;
      const turn = async (): Promise<Session> =>
        locks ? await locks.request(`${this.key}:refresh`, renew) : renew();
      this.refreshing = turn().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async renewUnlessRenewed(stale: Session, refused: ApiError): Promise<Session> {
    const stored = SessionStore.read(this.key);
    if (stored === null || this.current === null) {
      // Signed out meanwhile (here or in another tab).
      if (this.current !== null) this.set(null);
      throw refused;
    }
    const renewed =
      stored.access_token !== stale.access_token
        ? stored
        : await renewalOf<Session>(this.key, stale.refresh_token);
    if (this.current === null) throw refused;
    if (renewed) {
      if (renewed.access_token !== this.current.access_token) this.set(renewed);
      return renewed;
    }
    try {
      const fresh = await api<TokenResponse>('/auth/refresh', {
        method: 'POST',
        body: { refresh_token: stale.refresh_token },
      });
      this.set(fresh);
      // Before the lock is let go: the next tab in line reads it there (renewal-handoff.ts).
      await recordRenewal(this.key, stale.refresh_token, fresh);
      return fresh;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.set(null);
      throw error;
    }
  }
}

export function useSession(store: SessionStore): Session | null {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

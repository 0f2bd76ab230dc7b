import { createStore, del, get, set } from 'idb-keyval';

/**
 * How one tab hands a renewed session to the others while it still holds the renewal Web Lock.
 * localStorage cannot: Chromium caches it per renderer process and passes another tab's write on
 * later, so a tab granted the lock right after can still read the spent refresh token (4 reads in
 * 10 in a two-tab loop here) and spend it again, which ends the session. IndexedDB is read
 * through one store per browser, so a write committed before the lock is released is seen by the
 * next holder (docs/decisions/020-session-renewal-handoff.md).
 */
export interface Renewal<S> {
  /** The refresh token the renewal spent. */
  spent: string;
  session: S;
}

let store: ReturnType<typeof createStore> | null | undefined;
const renewals = () => {
  if (store === undefined)
    store = typeof indexedDB === 'undefined' ? null : createStore('clubos-session', 'renewals');
  return store;
};

/** Records that `spent` was renewed into `session` (best effort: without IndexedDB, nothing). */
export async function recordRenewal<S>(key: string, spent: string, session: S): Promise<void> {
  const at = renewals();
  if (at) await set(key, { spent, session } satisfies Renewal<S>, at).catch(() => undefined);
}

/** The session another tab renewed `spent` into, if the last renewal of `key` spent it. */
export async function renewalOf<S>(key: string, spent: string): Promise<S | null> {
  const at = renewals();
  if (!at) return null;
  const last = await get<Renewal<S>>(key, at).catch(() => undefined);
  return last?.spent === spent ? last.session : null;
}

/** Forgets the last renewal of `key` (on sign-out: no tokens stay behind). */
export function forgetRenewal(key: string): void {
  const at = renewals();
  if (at) void del(key, at).catch(() => undefined);
}

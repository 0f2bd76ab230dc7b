import type { AssociationRecord } from './hubspot.associations.js';
import type { HubspotFault, HubspotFaults } from './hubspot.faults.js';
import type { CrmObjectType, PropertyDefinition } from './hubspot.property-catalog.js';
import type { HubspotRateLimiter, RateLimitSettings } from './hubspot.rate-limiter.js';
import type { CrmRecord, HubspotStore } from './hubspot.store.js';

/**
 * What tests (in process) and the `/__control` routes (over HTTP) use to look inside the
 * simulated portal and to bend it: limits, search lag, faults. Not part of HubSpot.
 */
export interface LoggedRequest {
  /** Epoch ms when the answer was sent. */
  at: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  /** HTTP status, or 0 when the connection was dropped by a `down` fault. */
  status: number;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];

  push(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  list(filter: { method?: string; path?: string | RegExp } = {}): LoggedRequest[] {
    return this.entries.filter((e) => {
      if (filter.method && e.method !== filter.method.toUpperCase()) return false;
      if (typeof filter.path === 'string' && e.path !== filter.path) return false;
      if (filter.path instanceof RegExp && !filter.path.test(e.path)) return false;
      return true;
    });
  }

  clear(): void {
    this.entries = [];
  }
}

/** Read-only view of the portal. */
export class HubspotState {
  constructor(
    private readonly store: HubspotStore,
    private readonly log: RequestLog,
  ) {}

  contacts(): CrmRecord[] {
    return this.store.list('contacts');
  }
  deals(): CrmRecord[] {
    return this.store.list('deals');
  }
  notes(): CrmRecord[] {
    return this.store.list('notes');
  }
  objects(objectType: CrmObjectType): CrmRecord[] {
    return this.store.list(objectType);
  }
  contactByEmail(email: string): CrmRecord | undefined {
    const id = this.store.contactIdByEmail(email);
    return id === undefined ? undefined : this.store.list('contacts').find((c) => c.id === id);
  }
  associations(): AssociationRecord[] {
    return this.store.associations();
  }
  properties(objectType: CrmObjectType): PropertyDefinition[] {
    return [...this.store.catalog[objectType].values()];
  }
  requests(filter?: { method?: string; path?: string | RegExp }): LoggedRequest[] {
    return this.log.list(filter);
  }
}

export class HubspotControl {
  constructor(
    private readonly store: HubspotStore,
    private readonly limiter: HubspotRateLimiter,
    private readonly faultSet: HubspotFaults,
    private readonly log: RequestLog,
  ) {}

  /** Changes the limits; e.g. `{ tenSecondlyMax: 3 }` to reach a 429 in a test. */
  setRateLimits(change: Partial<RateLimitSettings>): RateLimitSettings {
    return this.limiter.configure(change);
  }
  rateLimits(): RateLimitSettings {
    return this.limiter.settings;
  }
  /** Forgets the requests counted in the rolling window, the search second and the day. */
  resetRateLimitCounters(): void {
    this.limiter.resetCounters();
  }
  /** Counts `count` requests against today's limit without sending them. */
  useDailyRequests(count: number): void {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`count must be a non-negative integer, got ${count}`);
    this.limiter.useDaily(count);
  }
  setSearchLag(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0)
      throw new RangeError(`search lag must be a non-negative integer of ms, got ${ms}`);
    this.store.searchLagMs = ms;
  }
  searchLag(): number {
    return this.store.searchLagMs;
  }
  fault(spec: HubspotFault): void {
    this.faultSet.add(spec);
  }
  faults(): ReturnType<HubspotFaults['list']> {
    return this.faultSet.list();
  }
  clearFaults(): void {
    this.faultSet.clear();
  }
  clearRequests(): void {
    this.log.clear();
  }
  /** Empties the portal and forgets faults, counters and the request log (limits and lag stay). */
  reset(): void {
    this.store.reset();
    this.faultSet.clear();
    this.limiter.resetCounters();
    this.log.clear();
  }
}

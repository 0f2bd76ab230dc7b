import type { AvailabilityRule, Bay, Closure, Facility, PricingRule } from '@clubos/shared/model';
import { MINUTE_MS } from '@clubos/shared/time';
import type { Executor } from '../db/client.js';
import type { CatalogFreshness, CatalogRepository } from './catalog.repository.js';

/** What the engine needs of a facility besides busy time, as of change-log head `head`. */
export interface FacilityCatalog {
  facility: Facility;
  bays: Bay[];
  /** UniFi door of each bay (credentials need it; the engine does not). */
  doors: Map<string, string | null>;
  /** Every bay's availability rules. */
  rules: AvailabilityRule[];
  /** Active pricing rules. */
  pricingRules: PricingRule[];
  /** Closures ending after `closuresFrom`; older ones are read on demand. */
  closures: Closure[];
  closuresFrom: number;
  head: number;
  loadedAt: number;
  /**
   * Changes only when a load finds different contents: the periodic reload (`maxAgeMs`) of an
   * unchanged catalog keeps it, so what was computed from the old copy (a cached listing) stays
   * valid across it.
   */
  contentVersion: number;
}

/** The largest buffer of the bay's rules in ms: how far from a slot a booking can still refuse it. */
export function bufferReachMs(catalog: FacilityCatalog, simulatorId: string): number {
  let minutes = 0;
  for (const r of catalog.rules) {
    if (r.simulator_id === simulatorId && r.buffer_time > minutes) minutes = r.buffer_time;
  }
  return minutes * MINUTE_MS;
}

export interface CatalogCacheOptions {
  /**
   * Reload at least this often even when the change log is quiet: a catalog row edited outside
   * the admin API (a script, a fixture) has no change-log entry, so it would otherwise never show.
   */
  maxAgeMs?: number;
  /** How far back closures are kept in memory (past dates are rarely asked for). */
  closureHistoryMs?: number;
  now?: () => number;
}

/**
 * Facility catalogs (facility, bays, rules, pricing, closures) kept in memory and validated on
 * every use against the facility's change log (docs/decisions/004-change-feed.md): every admin write of a
 * catalog row appends an entry in its own transaction, and the log is gap-free in commit order,
 * so "no catalog entry after head N" in a snapshot that sees head M proves the cached copy is
 * current up to M. The check rides along with the busy-time read the caller makes anyway.
 */
export class CatalogCache {
  private readonly catalogs = new Map<string, FacilityCatalog>();
  /** The last loaded contents of each facility's catalog, kept across expiry to compare with. */
  private readonly contents = new Map<string, { fingerprint: string; version: number }>();
  private readonly facilityOfBay = new Map<string, string>();
  private readonly maxAgeMs: number;
  private readonly closureHistoryMs: number;
  private readonly now: () => number;

  constructor(
    readonly repo: CatalogRepository,
    options: CatalogCacheOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 10_000;
    this.closureHistoryMs = options.closureHistoryMs ?? 7 * 86_400_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached catalog if young enough to be validated (undefined: load it). */
  peek(facilityId: string): FacilityCatalog | undefined {
    const catalog = this.catalogs.get(facilityId);
    if (!catalog) return undefined;
    if (this.now() - catalog.loadedAt > this.maxAgeMs) {
      this.catalogs.delete(facilityId);
      return undefined;
    }
    return catalog;
  }

  /** Head to validate against: -1 when nothing is cached, so any catalog entry counts as news. */
  knownHead(facilityId: string): number {
    return this.peek(facilityId)?.head ?? -1;
  }

  /**
   * The catalog valid in the snapshot `fresh` was read in: the cached one (moved up to the new
   * head) when no catalog entry was logged since, else a fresh load. Undefined: no such facility.
   */
  async current(
    facilityId: string,
    fresh: CatalogFreshness,
    tx?: Executor,
  ): Promise<FacilityCatalog | undefined> {
    const cached = this.peek(facilityId);
    if (cached && !fresh.catalogChanged && fresh.compactedThrough <= cached.head) {
      if (fresh.head > cached.head) cached.head = fresh.head;
      return cached;
    }
    return this.load(facilityId, tx);
  }

  /**
   * The facility's current catalog and its version around `[from, to)`: catalog contents,
   * change-log head and the live holds there (holds are not in the change log). What is computed
   * from the facility's schedule (a listing, a refusal's alternatives) stays valid while this
   * version is unchanged, the clock aside. One small statement. Undefined: no such facility.
   */
  async versioned(
    facilityId: string,
    from: Date,
    to: Date,
  ): Promise<{ catalog: FacilityCatalog; version: string } | undefined> {
    const fresh = await this.repo.freshnessWithHolds(facilityId, this.knownHead(facilityId), from, to);
    const catalog = await this.current(facilityId, fresh);
    if (!catalog) return undefined;
    return { catalog, version: `${catalog.contentVersion}|${fresh.head}|${fresh.holds}` };
  }

  /** Reads the head first, then the catalog: a change racing the load is caught by the next check. */
  async load(facilityId: string, tx?: Executor): Promise<FacilityCatalog | undefined> {
    const head = await this.repo.head(facilityId, tx);
    const loadedAt = this.now();
    const loaded = await this.repo.loadCatalog(facilityId, new Date(loadedAt - this.closureHistoryMs), tx);
    if (!loaded) {
      this.catalogs.delete(facilityId);
      return undefined;
    }
    const fingerprint = JSON.stringify([
      loaded.facility,
      loaded.bays,
      [...loaded.doors],
      loaded.rules,
      loaded.pricingRules,
      loaded.closures,
    ]);
    const prior = this.contents.get(facilityId);
    const contentVersion = prior?.fingerprint === fingerprint ? prior.version : loadedAt;
    this.contents.set(facilityId, { fingerprint, version: contentVersion });
    const catalog: FacilityCatalog = { ...loaded, head, loadedAt, contentVersion };
    this.catalogs.set(facilityId, catalog);
    for (const bay of catalog.bays) this.facilityOfBay.set(bay.id, facilityId);
    return catalog;
  }

  /** The facility of a bay (a bay never moves between facilities). Undefined: no such bay. */
  async facilityIdOfBay(simulatorId: string, tx?: Executor): Promise<string | undefined> {
    const known = this.facilityOfBay.get(simulatorId);
    if (known) return known;
    const bay = await this.repo.bayById(simulatorId, tx);
    if (!bay) return undefined;
    this.facilityOfBay.set(simulatorId, bay.facility_id);
    return bay.facility_id;
  }

  /** Forgets a facility (tests, and writers that know they changed its catalog). */
  invalidate(facilityId: string): void {
    this.catalogs.delete(facilityId);
  }
}

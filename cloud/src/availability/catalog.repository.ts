import type { Bay, BusyInterval } from '@clubos/shared/model';
import { asc, eq, sql } from 'drizzle-orm';
import { executeNamed } from '../common/named-statement.js';
import type { Database, Executor } from '../db/client.js';
import { simulators } from '../db/schema/index.js';
import { type FacilityRepository, toBay } from '../facilities/facility.repository.js';
import type { FacilityCatalog } from './catalog.cache.js';
import {
  type GuestDetails,
  type GuestUpsert,
  guestAnswers,
  guestUpsertCte,
  parseGuestAnswers,
} from './guest-upsert.js';

/** Change-log entities that alter what the engine is given besides busy time. */
const CATALOG_ENTITIES = sql.raw(`('facility','bay','availability_rule','pricing_rule','closure')`);
const ACTIVE = sql.raw(`('pending','confirmed','checked_in')`);

export interface CatalogFreshness {
  /** The facility's change-log head in this statement's snapshot (0: nothing logged yet). */
  head: number;
  compactedThrough: number;
  /** A catalog entity was logged after the head the caller knows. */
  catalogChanged: boolean;
}

/** One bay's bookings around a slot (the booking check), with a guest's customer upsert or not. */
export interface BayRead {
  simulatorId: string;
  from: Date;
  to: Date;
  guest?: GuestDetails;
}

/** What `readBays` answers: the facility's freshness, each read's busy time, the guests' records. */
export interface BayReadsAnswer extends CatalogFreshness {
  busy: BusyInterval[][];
  guests: Map<string, GuestUpsert>;
}

type BusyRow = [string, string, number | string, number | string, boolean];

const toBusy = ([id, simulatorId, start, end, hold]: BusyRow): BusyInterval => ({
  id,
  simulator_id: simulatorId,
  kind: hold ? 'hold' : 'booking',
  start: Number(start),
  end: Number(end),
});

/** Which bookings a freshness read also returns: one bay's, or every bay's of the facility. */
export type BusyScope = { simulatorId: string } | { facilityId: string };

interface FreshnessRow {
  head: number | string;
  compacted: number | string;
  catalog_changed: boolean;
}

const toFreshness = (row: FreshnessRow): CatalogFreshness => ({
  head: Number(row.head),
  compactedThrough: Number(row.compacted),
  catalogChanged: row.catalog_changed === true,
});

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/**
 * The reads behind the availability engine, shaped for the catalog cache: each hot-path statement
 * answers "did the catalog change since head N?" together with the busy time it needs, so a
 * booking check or an availability listing costs ONE round trip while the catalog is unchanged.
 */
export class CatalogRepository {
  constructor(
    private readonly db: Database,
    private readonly facilities: FacilityRepository,
  ) {}

  private freshnessColumns(facilityId: string, knownHead: number) {
    return sql`coalesce(c.last_seq, 0) AS head, coalesce(c.compacted_through, 0) AS compacted,
      EXISTS (SELECT 1 FROM change_log l WHERE l.facility_id = ${facilityId}::uuid
        AND l.seq > ${knownHead} AND l.entity IN ${CATALOG_ENTITIES}) AS catalog_changed`;
  }

  /**
   * Freshness of the cached catalog plus the active bookings and live holds overlapping
   * `[from, to)` (the same rows as `FacilityRepository.busyOf`), in one statement and snapshot.
   */
  async freshnessWithBusy(
    facilityId: string,
    knownHead: number,
    scope: BusyScope,
    from: Date,
    to: Date,
    tx: Executor = this.db,
  ): Promise<CatalogFreshness & { busy: BusyInterval[] }> {
    const where =
      'simulatorId' in scope
        ? sql`b.simulator_id = ${scope.simulatorId}::uuid`
        : sql`b.facility_id = ${scope.facilityId}::uuid`;
    const result = await executeNamed(
      tx,
      sql`
      SELECT ${this.freshnessColumns(facilityId, knownHead)},
        (SELECT coalesce(json_agg(json_build_array(b.id, b.simulator_id,
            round(extract(epoch FROM b.start_time) * 1000)::bigint,
            round(extract(epoch FROM b.end_time) * 1000)::bigint,
            b.hold_expires_at IS NOT NULL)), '[]'::json)
          FROM bookings b
          WHERE ${where} AND b.status IN ${ACTIVE}
            AND b.start_time < ${to.toISOString()}::timestamptz
            AND b.blocked_until > ${from.toISOString()}::timestamptz
            AND (b.hold_expires_at IS NULL OR b.hold_expires_at > now())) AS busy
      FROM (SELECT 1) one LEFT JOIN change_cursors c ON c.facility_id = ${facilityId}::uuid`,
    );
    const row = rowsOf<FreshnessRow & { busy: unknown }>(result)[0]!;
    const raw = (typeof row.busy === 'string' ? JSON.parse(row.busy) : row.busy) as BusyRow[];
    return { ...toFreshness(row), busy: raw.map(toBusy) };
  }

  /**
   * The booking check's read for several checks of one facility in ONE statement (`BayReads`
   * batches concurrent checks): the freshness of the cached catalog, and per read the active
   * bookings and live holds of its bay overlapping `[from, to)`; plus, for reads with a `guest`,
   * the guest's customer upsert (`guestUpsertCte`: their emails must be distinct). One snapshot.
   */
  async readBays(
    facilityId: string,
    knownHead: number,
    reads: BayRead[],
    tx: Executor = this.db,
  ): Promise<BayReadsAnswer> {
    const wanted = JSON.stringify(
      reads.map((r, i) => ({
        i,
        simulator_id: r.simulatorId,
        lo: r.from.toISOString(),
        hi: r.to.toISOString(),
      })),
    );
    // In email order, so two statements upserting the same guests lock their rows in one order.
    const guests = reads
      .flatMap((r) => (r.guest ? [r.guest] : []))
      .sort((a, b) => (a.email < b.email ? -1 : 1));
    const result = await executeNamed(
      tx,
      sql`WITH ${guestUpsertCte(guests)}
      SELECT ${this.freshnessColumns(facilityId, knownHead)}, ${guestAnswers} AS guests,
        (SELECT coalesce(json_agg(json_build_array(r.i, b.id, b.simulator_id,
            round(extract(epoch FROM b.start_time) * 1000)::bigint,
            round(extract(epoch FROM b.end_time) * 1000)::bigint,
            b.hold_expires_at IS NOT NULL)), '[]'::json)
          FROM jsonb_to_recordset(${wanted}::jsonb) AS r(i int, simulator_id uuid, lo timestamptz,
            hi timestamptz)
          -- Per read, through the exclusion constraint's index on (bay, time range), whatever the
          -- planner thinks of the table's size: the range overlap is start < hi AND blocked > lo.
          CROSS JOIN LATERAL (SELECT * FROM bookings x WHERE x.simulator_id = r.simulator_id
            AND tstzrange(x.start_time, x.blocked_until, '[)') && tstzrange(r.lo, r.hi, '[)')
            AND x.status IN ${ACTIVE}
            AND (x.hold_expires_at IS NULL OR x.hold_expires_at > now()) OFFSET 0) b) AS busy
      FROM (SELECT 1) one LEFT JOIN change_cursors c ON c.facility_id = ${facilityId}::uuid`,
    );
    const row = rowsOf<FreshnessRow & { busy: unknown; guests: unknown }>(result)[0]!;
    const raw = (typeof row.busy === 'string' ? JSON.parse(row.busy) : row.busy) as [number, ...BusyRow][];
    const busy: BusyInterval[][] = reads.map(() => []);
    for (const [i, ...interval] of raw) busy[i]!.push(toBusy(interval));
    return { ...toFreshness(row), busy, guests: parseGuestAnswers(row.guests) };
  }

  /**
   * Freshness plus a fingerprint of the live holds (and any other pending rows) overlapping
   * `[from, to)`. Holds are not in the change log, so a cached listing is only reused while this
   * fingerprint is unchanged too; an expired hold drops out of it by itself (`now()`).
   */
  async freshnessWithHolds(
    facilityId: string,
    knownHead: number,
    from: Date,
    to: Date,
  ): Promise<CatalogFreshness & { holds: string }> {
    const result = await executeNamed(
      this.db,
      sql`
      SELECT ${this.freshnessColumns(facilityId, knownHead)},
        (SELECT coalesce(string_agg(b.id::text || '@' ||
            coalesce(round(extract(epoch FROM b.hold_expires_at) * 1000)::bigint::text, '-'), ','
            ORDER BY b.id), '')
          FROM bookings b
          WHERE b.facility_id = ${facilityId}::uuid AND b.status = 'pending'
            AND b.start_time < ${to.toISOString()}::timestamptz
            AND b.blocked_until > ${from.toISOString()}::timestamptz
            AND (b.hold_expires_at IS NULL OR b.hold_expires_at > now())) AS holds
      FROM (SELECT 1) one LEFT JOIN change_cursors c ON c.facility_id = ${facilityId}::uuid`,
    );
    const row = rowsOf<FreshnessRow & { holds: string | null }>(result)[0]!;
    return { ...toFreshness(row), holds: row.holds ?? '' };
  }

  /** The head alone (read BEFORE the catalog, so a change racing the load is seen next time). */
  async head(facilityId: string, tx: Executor = this.db): Promise<number> {
    const result = await tx.execute(
      sql`SELECT last_seq FROM change_cursors WHERE facility_id = ${facilityId}::uuid`,
    );
    const row = rowsOf<{ last_seq: number | string }>(result)[0];
    return row ? Number(row.last_seq) : 0;
  }

  /**
   * Everything of one facility the engine needs besides busy time; closures from `closuresFrom`
   * on. Undefined when the facility does not exist.
   */
  async loadCatalog(
    facilityId: string,
    closuresFrom: Date,
    tx: Executor = this.db,
  ): Promise<Omit<FacilityCatalog, 'head' | 'loadedAt' | 'contentVersion'> | undefined> {
    const facility = await this.facilities.findFacility(facilityId, tx);
    if (!facility) return undefined;
    const bayRows = await tx
      .select()
      .from(simulators)
      .where(eq(simulators.facilityId, facilityId))
      .orderBy(asc(simulators.bayNumber), asc(simulators.id));
    const bays = bayRows.map(toBay);
    const doors = new Map(bayRows.map((r) => [r.id, r.unifiDoorId]));
    const [rules, pricingRules, closures] = await Promise.all([
      this.facilities.availabilityRulesOf(
        bays.map((b) => b.id),
        tx,
      ),
      this.facilities.pricingRulesOf(facilityId, tx),
      this.facilities.closuresOf(facilityId, closuresFrom, new Date('9999-12-31T00:00:00Z'), tx),
    ]);
    return { facility, bays, doors, rules, pricingRules, closures, closuresFrom: closuresFrom.getTime() };
  }

  /** The facility of a bay not seen yet, with the bay's door (undefined: no such bay). */
  async bayById(
    id: string,
    tx: Executor = this.db,
  ): Promise<(Bay & { unifi_door_id: string | null }) | undefined> {
    return this.facilities.findBay(id, tx);
  }
}

import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/client.js';

/**
 * Change-log compaction: per facility, the longest PREFIX of entries older than the retention is
 * deleted in batches and the mark `change_cursors.compacted_through` moves to its end. Every commit
 * leaves "deleted ⇔ seq <= compacted_through" true, which is what readers check; why a prefix and
 * nothing more: docs/decisions/004-change-feed.md, "Snapshots and compaction".
 */
export interface ChangeLogCompactionOptions {
  /** Entries younger than this are kept (and so is everything after them). */
  retentionMs: number;
  /** Entries deleted per transaction (default 5,000). */
  batchSize?: number;
  now?: () => number;
}

export interface FacilityCompaction {
  facilityId: string;
  /** The low-water mark before and after this run. */
  from: number;
  through: number;
  removed: number;
  batches: number;
}

interface TargetRow {
  facility_id: string;
  compacted_through: number | string;
  target: number | string | null;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

export class ChangeLogCompactor {
  private readonly batchSize: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    private readonly log: FastifyBaseLogger,
    private readonly options: ChangeLogCompactionOptions,
  ) {
    this.batchSize = options.batchSize ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Where each facility's mark may move: the seq before its first entry younger than `cutoff`, or
   * its last visible entry when all are older. One statement, so one snapshot: the visible log is
   * a prefix of the sequence (appends commit in seq order), and an uncommitted append lies above.
   * The scan starts above the mark, so it never walks the index entries of rows already deleted
   * (they stay until vacuum).
   */
  async targets(cutoff: Date): Promise<{ facilityId: string; from: number; target: number }[]> {
    const result = await this.db.execute(sql`
      SELECT c.facility_id, c.compacted_through, coalesce(
          (SELECT l.seq - 1 FROM change_log l
            WHERE l.facility_id = c.facility_id AND l.seq > c.compacted_through
              AND l.created_at >= ${cutoff.toISOString()}::timestamptz
            ORDER BY l.seq LIMIT 1),
          (SELECT max(l.seq) FROM change_log l WHERE l.facility_id = c.facility_id)) AS target
      FROM change_cursors c`);
    return rowsOf<TargetRow>(result)
      .map((r) => ({
        facilityId: r.facility_id,
        from: Number(r.compacted_through),
        target: r.target === null ? 0 : Number(r.target),
      }))
      .filter((r) => r.target > r.from);
  }

  /** Deletes `(from, target]` of one facility in batches, advancing its mark with each. */
  async compactFacility(facilityId: string, from: number, target: number): Promise<FacilityCompaction> {
    let done = from;
    let removed = 0;
    let batches = 0;
    while (done < target) {
      const through = Math.min(target, done + this.batchSize);
      const lower = done;
      const count = await this.db.transaction(async (tx) => {
        const deleted = await tx.execute(sql`
          WITH d AS (DELETE FROM change_log
            WHERE facility_id = ${facilityId}::uuid AND seq > ${lower} AND seq <= ${through} RETURNING 1)
          SELECT count(*) AS n FROM d`);
        // Last statement: the cursor row is the appends' lock, keep it until commit only.
        await tx.execute(sql`
          UPDATE change_cursors SET compacted_through = GREATEST(compacted_through, ${through}::bigint)
          WHERE facility_id = ${facilityId}::uuid`);
        return Number(rowsOf<{ n: number | string }>(deleted)[0]?.n ?? 0);
      });
      removed += count;
      batches += 1;
      done = through;
      this.log.info(
        { facilityId, compactedThrough: through, target, removed },
        'change log compaction: batch committed',
      );
    }
    return { facilityId, from, through: done, removed, batches };
  }

  /** Active edges of the facility whose last pull stopped below `mark` (never-pulled ones bootstrap anyway). */
  async edgesBehind(
    facilityId: string,
    mark: number,
  ): Promise<{ id: string; name: string; last_pulled_seq: number }[]> {
    const result = await this.db.execute(sql`
      SELECT id, name, last_pulled_seq FROM edge_nodes
      WHERE facility_id = ${facilityId}::uuid AND revoked_at IS NULL AND last_pulled_seq < ${mark}
      ORDER BY name, id`);
    return rowsOf<{ id: string; name: string; last_pulled_seq: number | string }>(result).map((r) => ({
      id: r.id,
      name: r.name,
      last_pulled_seq: Number(r.last_pulled_seq),
    }));
  }

  /** One pass over every facility; returns what moved. */
  async runOnce(): Promise<FacilityCompaction[]> {
    const cutoff = new Date(this.now() - this.options.retentionMs);
    const done: FacilityCompaction[] = [];
    for (const { facilityId, from, target } of await this.targets(cutoff)) {
      const compaction = await this.compactFacility(facilityId, from, target);
      done.push(compaction);
      const behind = await this.edgesBehind(facilityId, compaction.through);
      if (behind.length > 0) {
        this.log.warn(
          { facilityId, compactedThrough: compaction.through, edges: behind },
          'change log compaction: these edges are behind the low-water mark and will reload a snapshot',
        );
      }
    }
    if (done.length > 0) {
      this.log.info(
        {
          cutoff: cutoff.toISOString(),
          facilities: done.length,
          removed: done.reduce((n, f) => n + f.removed, 0),
        },
        'change log compaction finished',
      );
    }
    return done;
  }
}

/**
 * Runs the compactor every `intervalMs` (the first pass one interval after start), never two
 * passes at once; a failed pass is logged and the next one tries again.
 */
export class ChangeLogCompactionTimer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly compactor: ChangeLogCompactor,
    private readonly intervalMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    if (this.timer !== null || this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  tick(): Promise<unknown> {
    if (this.running === null) {
      this.running = this.compactor
        .runOnce()
        .catch((error: unknown) => this.log.error({ err: error }, 'change log compaction failed'))
        .finally(() => {
          this.running = null;
        });
    }
    return this.running;
  }
}

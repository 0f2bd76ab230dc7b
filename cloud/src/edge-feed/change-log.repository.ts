import type { ChangeEntity, ChangeOp, ChangeRow } from '@clubos/shared/sync';
import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { changeCursors, changeLog } from '../db/schema/index.js';

export interface ChangeEntry {
  entity: ChangeEntity;
  op: ChangeOp;
  entityId: string;
  data: Record<string, unknown> | null;
}

/**
 * The per-facility change log (docs/decisions/004-change-feed.md). `append` must run inside the transaction
 * of the write it reports. The counter row lock serialises appends per facility until commit, so the sequence
 * is gap-free in commit order; call it as the last statement of the transaction to keep the lock short.
 */
export class ChangeLogRepository {
  private readonly appendListeners = new Set<(facilityId: string) => void>();

  constructor(private readonly db: Database) {}

  /**
   * Called after each append statement, BEFORE its transaction commits: a listener must look at the
   * log again (it may see the entry a moment later), never assume the entry is visible yet.
   * Returns the function that removes the listener.
   */
  onAppend(listener: (facilityId: string) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  async append(
    tx: Executor,
    facilityId: string,
    entity: ChangeEntity,
    op: ChangeOp,
    entityId: string,
    data: Record<string, unknown> | null,
  ): Promise<number> {
    return this.appendMany(tx, facilityId, [{ entity, op, entityId, data }]);
  }

  /**
   * Appends several entries in ONE statement (counter bump + inserts in CTEs) and returns the last
   * seq; the counter row stays locked from here to commit (docs/performance.md, "Change-log append in
   * the same statement"). A booking entry without `preferences` (see `toFeedPayload`) gets the
   * customer's stored ones inside the same statement, so no writer needs a lookup of its own.
   */
  async appendMany(tx: Executor, facilityId: string, entries: ChangeEntry[]): Promise<number> {
    if (entries.length === 0) return (await this.cursor(facilityId, tx)).lastSeq;
    // pg and PGlite both answer `{ rows }`; bigint comes back as a string from pg.
    const result = (await tx.execute(sql`
      WITH ${this.appendParts(facilityId, entries, sql`(SELECT 1) AS gate`)}
      SELECT seq FROM cl_log`)) as unknown as { rows: { seq: number | string }[] };
    const seqs = result.rows.map((r) => Number(r.seq));
    this.appended(facilityId);
    return Math.max(...seqs);
  }

  /**
   * The append as CTEs (`cl_cursor`, `cl_entries`, `cl_log`) for a caller's own statement, so a
   * writer can append in the same round trip as its write. The counter is bumped only after
   * `gate` (a FROM item over the caller's write, e.g. `(SELECT count(*) FROM ins) AS gate`) is
   * fully computed: the counter lock is then taken last, as `appendMany` requires. A caller that
   * runs these parts must call `appended(facilityId)` once the statement succeeded.
   */
  appendParts(facilityId: string, entries: ChangeEntry[], gate: SQL): SQL {
    const n = entries.length;
    const rows = JSON.stringify(
      entries.map((e, i) => ({
        ord: i + 1,
        entity: e.entity,
        op: e.op,
        entity_id: e.entityId,
        data: e.data,
      })),
    );
    return sql`cl_cursor AS (
        INSERT INTO change_cursors (facility_id, last_seq) SELECT ${facilityId}::uuid, ${n}::bigint FROM ${gate}
        ON CONFLICT (facility_id) DO UPDATE SET last_seq = change_cursors.last_seq + ${n}::bigint
        RETURNING last_seq
      ), cl_entries AS (
        SELECT * FROM jsonb_to_recordset(${rows}::jsonb)
          AS x(ord int, entity text, op text, entity_id text, data jsonb)
      ), cl_log AS (
      INSERT INTO change_log (facility_id, seq, entity, op, entity_id, data)
      SELECT ${facilityId}::uuid, c.last_seq - ${n} + e.ord, e.entity, e.op, e.entity_id,
        CASE WHEN e.entity = 'booking' AND e.data IS NOT NULL AND NOT (e.data ? 'preferences')
          THEN e.data || jsonb_build_object('preferences', COALESCE(
            (SELECT cu.preferences FROM customers cu WHERE cu.id = (e.data->>'customer_id')::uuid),
            '{}'::jsonb))
          ELSE e.data END
      FROM cl_cursor c, cl_entries e
      RETURNING seq)`;
  }

  /** Tells the append listeners (see `onAppend`) that `facilityId` got entries. */
  appended(facilityId: string): void {
    for (const listener of this.appendListeners) listener(facilityId);
  }

  async after(facilityId: string, afterSeq: number, limit: number): Promise<ChangeRow[]> {
    const rows = await this.db
      .select()
      .from(changeLog)
      .where(and(eq(changeLog.facilityId, facilityId), gt(changeLog.seq, afterSeq)))
      .orderBy(asc(changeLog.seq))
      .limit(limit);
    return rows.map((r) => ({
      seq: r.seq,
      facility_id: r.facilityId,
      entity: r.entity as ChangeEntity,
      op: r.op as ChangeOp,
      entity_id: r.entityId,
      data: (r.data as Record<string, unknown> | null) ?? null,
      created_at: r.createdAt.toISOString(),
    }));
  }

  /** The last seq of each of these facilities (absent: nothing logged yet). */
  async heads(facilityIds: string[]): Promise<Map<string, number>> {
    if (facilityIds.length === 0) return new Map();
    const rows = await this.db
      .select({ facilityId: changeCursors.facilityId, lastSeq: changeCursors.lastSeq })
      .from(changeCursors)
      .where(inArray(changeCursors.facilityId, facilityIds));
    return new Map(rows.map((r) => [r.facilityId, r.lastSeq]));
  }

  async cursor(
    facilityId: string,
    tx: Executor = this.db,
  ): Promise<{ lastSeq: number; compactedThrough: number }> {
    const [row] = await tx
      .select()
      .from(changeCursors)
      .where(eq(changeCursors.facilityId, facilityId))
      .limit(1);
    return { lastSeq: row?.lastSeq ?? 0, compactedThrough: row?.compactedThrough ?? 0 };
  }
}

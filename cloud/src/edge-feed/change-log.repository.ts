import type { ChangeEntity, ChangeOp, ChangeRow } from '@clubos/shared/sync';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { changeCursors, changeLog } from '../db/schema/index.js';

/**
 * The per-facility change log (DESIGN.md decision 4). `append` must run inside the transaction of
 * the write it reports. The counter row lock serialises appends per facility until commit, so the
 * sequence is gap-free in commit order; call it as the last statement of the transaction to keep
 * the lock short.
 */
export class ChangeLogRepository {
  constructor(private readonly db: Database) {}

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
   * Appends several entries in ONE statement (counter bump + inserts in a CTE): the counter row
   * stays locked from this statement to commit, so fewer round trips here means more bookings
   * per second per facility. Returns the last seq.
   */
  async appendMany(
    tx: Executor,
    facilityId: string,
    entries: { entity: ChangeEntity; op: ChangeOp; entityId: string; data: Record<string, unknown> | null }[],
  ): Promise<number> {
    if (entries.length === 0) return (await this.cursor(facilityId, tx)).lastSeq;
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
    // pg and PGlite both answer `{ rows }`; bigint comes back as a string from pg.
    const result = (await tx.execute(sql`
      WITH c AS (
        INSERT INTO change_cursors (facility_id, last_seq) VALUES (${facilityId}, ${n})
        ON CONFLICT (facility_id) DO UPDATE SET last_seq = change_cursors.last_seq + ${n}
        RETURNING last_seq
      ), e AS (
        SELECT * FROM jsonb_to_recordset(${rows}::jsonb)
          AS x(ord int, entity text, op text, entity_id text, data jsonb)
      )
      INSERT INTO change_log (facility_id, seq, entity, op, entity_id, data)
      SELECT ${facilityId}::uuid, c.last_seq - ${n} + e.ord, e.entity, e.op, e.entity_id, e.data FROM c, e
      RETURNING seq`)) as unknown as { rows: { seq: number | string }[] };
    const seqs = result.rows.map((r) => Number(r.seq));
    return Math.max(...seqs);
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

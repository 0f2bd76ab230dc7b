import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { TestApp } from './test-app.js';

export const DAY_MS = 86_400_000;

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** Appends `n` closure upserts in one transaction (as a writer would); returns their entity ids. */
export async function appendEntries(t: TestApp, facilityId: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await t.app.db.transaction(async (tx) => {
    await t.app.services.changeLog.appendMany(
      tx,
      facilityId,
      ids.map((id) => ({ entity: 'closure' as const, op: 'upsert' as const, entityId: id, data: { id } })),
    );
  });
  return ids;
}

/** Makes the entries with these seqs look `days` old. */
export async function age(t: TestApp, facilityId: string, seqs: number[], days: number): Promise<void> {
  if (seqs.length === 0) return;
  const list = sql.join(
    seqs.map((s) => sql`${s}`),
    sql`, `,
  );
  await t.app.db.execute(sql`UPDATE change_log SET created_at = now() - ${`${days} days`}::interval
    WHERE facility_id = ${facilityId}::uuid AND seq IN (${list})`);
}

/** The seqs still in the log, ascending. */
export async function seqsOf(t: TestApp, facilityId: string): Promise<number[]> {
  const result = await t.app.db.execute(
    sql`SELECT seq FROM change_log WHERE facility_id = ${facilityId}::uuid ORDER BY seq`,
  );
  return rowsOf<{ seq: number | string }>(result).map((r) => Number(r.seq));
}

export async function entityIdsOf(t: TestApp, facilityId: string): Promise<Set<string>> {
  const result = await t.app.db.execute(
    sql`SELECT entity_id FROM change_log WHERE facility_id = ${facilityId}::uuid`,
  );
  return new Set(rowsOf<{ entity_id: string }>(result).map((r) => r.entity_id));
}

export const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** A logger that records its `info`, `warn` and `error` messages (and keeps quiet). */
export function recordingLog(): { log: FastifyBaseLogger; messages: { obj: unknown; msg: string }[] } {
  const messages: { obj: unknown; msg: string }[] = [];
  const log = {
    level: 'info',
    info: (obj: unknown, msg: string) => messages.push({ obj, msg }),
    warn: (obj: unknown, msg: string) => messages.push({ obj, msg }),
    error: (obj: unknown, msg: string) => messages.push({ obj, msg }),
    debug: () => undefined,
    trace: () => undefined,
    fatal: () => undefined,
    silent: () => undefined,
    child: () => log,
  };
  return { log: log as unknown as FastifyBaseLogger, messages };
}

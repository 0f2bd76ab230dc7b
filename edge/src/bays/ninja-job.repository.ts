import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { ninjaJobs } from '../db/schema.js';

export type NinjaJobRecord = typeof ninjaJobs.$inferSelect;

export interface NewNinjaJob {
  job_key: string;
  device_id: number;
  script: string;
  parameters: Record<string, unknown>;
}

/** Call inside the transaction that records the session step: the job is never lost or doubled. */
export function enqueueNinjaJob(db: Drizzle, job: NewNinjaJob, now: number): void {
  db.insert(ninjaJobs)
    .values({ ...job, created_at: now, next_attempt_at: now })
    .onConflictDoNothing({ target: ninjaJobs.job_key })
    .run();
}

/** Every pending job in queue order (due or not: a device's later jobs wait behind its earlier ones). */
export function pendingNinjaJobs(db: Drizzle, limit: number): NinjaJobRecord[] {
  return db
    .select()
    .from(ninjaJobs)
    .where(eq(ninjaJobs.state, 'pending'))
    .orderBy(asc(ninjaJobs.id))
    .limit(limit)
    .all();
}

export function finishNinjaJob(
  db: Drizzle,
  id: number,
  state: 'done' | 'failed' | 'skipped',
  at: number,
  error: string | null = null,
): void {
  db.update(ninjaJobs).set({ state, finished_at: at, last_error: error }).where(eq(ninjaJobs.id, id)).run();
}

export function retryNinjaJobLater(db: Drizzle, id: number, nextAttemptAt: number, error: string): void {
  db.update(ninjaJobs)
    .set({ attempts: sql`${ninjaJobs.attempts} + 1`, next_attempt_at: nextAttemptAt, last_error: error })
    .where(and(eq(ninjaJobs.id, id), eq(ninjaJobs.state, 'pending')))
    .run();
}

export function ninjaJobByKey(db: Drizzle, key: string): NinjaJobRecord | undefined {
  return db.select().from(ninjaJobs).where(eq(ninjaJobs.job_key, key)).get();
}

export function ninjaQueueDepth(db: Drizzle): Record<string, number> {
  const rows = db
    .select({ state: ninjaJobs.state, n: count() })
    .from(ninjaJobs)
    .groupBy(ninjaJobs.state)
    .all();
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

import { describe, expect, it } from 'vitest';
import { failoverDrill } from './failover-drill.js';

// Real servers: two PostgreSQL 15 clusters (initdb, pg_basebackup -R, pg_ctl promote) and the
// cloud in its own process. `deploy/dr/drills.ts failover` runs the longer drill recorded in bench/.
// Synchronous replication, the case that used to miss: the promoted standby kept the primary's
// synchronous_standby_names and waited on every commit (decision 012, "The promotion drill's miss").
describe('promotion drill', () => {
  it('loses no acknowledged booking and writes again on the promoted replica without a restart', async () => {
    const result = await failoverDrill({ beforeMs: 2_000, afterMs: 1_000, writers: 4, log: console.log });
    expect(result.acknowledged).toBeGreaterThan(0);
    expect(result.lost).toBe(0);
    // Generous: promotion takes about a second; the machine may be busy.
    expect(result.stopToFirstWriteSeconds).toBeLessThan(30);
  }, 300_000);
});

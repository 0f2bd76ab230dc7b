import { describe, expect, it } from 'vitest';
import { pitrDrill } from './pitr-drill.js';

// Real servers and the real pgBackRest (Debian package, /usr/bin/pgbackrest): archive-push, a full
// backup, and two restores into new folders. `deploy/dr/drills.ts pitr` records the longer run.
describe('point-in-time restore drill', () => {
  it('restores to a chosen instant: every row committed before it, none after, the mistake undone', async () => {
    const result = await pitrDrill({ beforeMs: 2_000, afterMs: 2_000, archiveTimeoutSeconds: 60 });
    expect(result.rowsBeforeTarget).toBeGreaterThan(0);
    expect(result.targetMissing).toBe(0);
    expect(result.targetExtra).toBe(0);
    // Up to the instant the restore keeps everything: the last row before it is the last written.
    expect(result.targetRpoSeconds).toBeLessThan(60);
    expect(result.targetRestoreSeconds).toBeLessThan(600);
  }, 600_000);

  it('after losing the primary, restores the archive to its end: the loss is bounded by archive_timeout', async () => {
    const result = await pitrDrill({ beforeMs: 1_000, afterMs: 2_000, archiveTimeoutSeconds: 60 });
    expect(result.crashRpoSeconds).toBeLessThan(60);
    expect(result.latestRestoreSeconds).toBeLessThan(600);
  }, 600_000);
});

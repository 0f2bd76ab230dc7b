import { describe, expect, it } from 'vitest';
import { pitrDrill } from './pitr-drill.js';

// Real servers and the real pgBackRest (Debian package, /usr/bin/pgbackrest): archive-push, a full
// backup, and two restores into new folders. `deploy/dr/drills.ts pitr` records the longer run.
describe('point-in-time restore drill', () => {
  it('restores to a chosen instant (mistake undone, nothing after it) and, after losing the primary, to the archive end', async () => {
    const result = await pitrDrill({ beforeMs: 2_000, afterMs: 2_000, archiveTimeoutSeconds: 60 });
    expect(result.rowsBeforeTarget).toBeGreaterThan(0);
    expect(result.targetMissing).toBe(0);
    expect(result.targetExtra).toBe(0);
    // Up to the instant the restore keeps everything: its last row is the last one written before.
    expect(result.targetRpoSeconds).toBeLessThan(30);
    // The crash loses at most the WAL not yet archived: archive_timeout bounds it.
    expect(result.crashRpoSeconds).toBeLessThan(60);
    expect(result.targetRestoreSeconds + result.latestRestoreSeconds).toBeLessThan(600);
  }, 600_000);
});

/**
 * A real edge sync process for the crash tests: `tsx edge-sync-process.ts <mode> <db> <cloudUrl> <key>`.
 * mode 'pull' follows the feed until caught up; 'upload' drains the outbox. Prints one JSON line per
 * step so the test knows where it is when it sends SIGKILL.
 */

import { outboxDepth } from '../sync/outbox.repository.js';
import { readSyncState } from '../sync/replica.repository.js';
import { syncHarness } from './sync-harness.js';

const [mode, file, cloudUrl, edgeKey, batch] = process.argv.slice(2);
const h = syncHarness({
  file: file!,
  cloudUrl: cloudUrl!,
  edgeKey: edgeKey!,
  pullLimit: Number(batch ?? 100),
  uploadBatch: Number(batch ?? 100),
});

async function run(): Promise<void> {
  if (mode === 'pull') {
    for (;;) {
      const { hasMore } = await h.pull.pullOnce(new AbortController().signal, 0);
      process.stdout.write(`${JSON.stringify({ cursor: readSyncState(h.database.db)?.cursor })}\n`);
      if (!hasMore) break;
    }
  } else {
    for (;;) {
      const result = await h.uploader.flushOnce(new AbortController().signal);
      process.stdout.write(`${JSON.stringify({ ...result, pending: outboxDepth(h.database.db).pending })}\n`);
      if (result.sent === 0) break;
    }
  }
  await h.close();
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type EdgeDatabase, openDatabase } from '../db/database.js';
import { CloudFeedClient } from '../sync/cloud-feed.client.js';
import { LinkState } from '../sync/link-state.js';
import { OutboxUploader } from '../sync/outbox-uploader.js';
import { PullLoop } from '../sync/pull-loop.js';
import { readSyncState } from '../sync/replica.repository.js';

export const silentLog = pino({ level: 'silent' });

export function tempDir(prefix = 'edge-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SyncHarness {
  database: EdgeDatabase;
  link: LinkState;
  feed: CloudFeedClient;
  pull: PullLoop;
  uploader: OutboxUploader;
  close(): Promise<void>;
}

/** The edge's sync pieces wired to a cloud URL, with fast timings for tests. */
export function syncHarness(options: {
  file: string;
  cloudUrl: string;
  edgeKey: string;
  facilityId?: string;
  longPollMs?: number;
  pullLimit?: number;
  uploadBatch?: number;
  /** Pull-loop push settings (the change stream); default: on, 15 s heartbeat. */
  push?: boolean;
  pushHeartbeatMs?: number;
  pushIdleMs?: number;
  idlePollMs?: number;
  /** Retry bounds of both loops (default 20–200 ms) and the link's probe period (default 200 ms). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  linkProbeMs?: number;
}): SyncHarness {
  const database = openDatabase(options.file);
  const link = new LinkState(silentLog);
  const feed = new CloudFeedClient({
    baseUrl: options.cloudUrl,
    edgeKey: options.edgeKey,
    requestTimeoutMs: 2000,
    facilityId: () => options.facilityId || readSyncState(database.db)?.facility_id || null,
  });
  const timings = { backoffBaseMs: options.backoffBaseMs ?? 20, backoffMaxMs: options.backoffMaxMs ?? 200 };
  const pull = new PullLoop(
    database,
    feed,
    link,
    {
      longPollMs: options.longPollMs ?? 500,
      limit: options.pullLimit ?? 1000,
      facilityId: options.facilityId ?? '',
      idlePollMs: options.idlePollMs ?? 50,
      ...(options.push === undefined ? {} : { push: options.push }),
      ...(options.pushHeartbeatMs === undefined ? {} : { pushHeartbeatMs: options.pushHeartbeatMs }),
      ...(options.pushIdleMs === undefined ? {} : { pushIdleMs: options.pushIdleMs }),
      ...(options.linkProbeMs === undefined ? {} : { linkProbeMs: options.linkProbeMs }),
      ...timings,
    },
    silentLog,
  );
  const uploader = new OutboxUploader(
    database,
    feed,
    link,
    { batchSize: options.uploadBatch ?? 100, idleMs: 50, ...timings },
    silentLog,
  );
  return {
    database,
    link,
    feed,
    pull,
    uploader,
    async close() {
      await pull.stop();
      await uploader.stop();
      database.close();
    },
  };
}

/** Polls `check` until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(check: () => boolean, timeoutMs = 10_000, stepMs = 20): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

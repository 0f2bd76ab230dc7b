import type { FastifyInstance } from 'fastify';
import { FakeCloud } from '../src/testing/fake-cloud.js';
import { FlakyProxy } from '../src/testing/flaky-proxy.js';
import { seedFacility } from '../src/testing/seed-facility.js';
import { eventually, tempDir } from '../src/testing/sync-harness.js';
import { buildTestEdge } from '../src/testing/test-edge.js';
import { sellWalkIn } from '../src/testing/venue-actions.js';

const MIN = 60_000;

export interface ReconnectFigures {
  rounds: number;
  outage_ms: number;
  /** From the line's return to the walk-in sold offline being held by the cloud. */
  up: { p50: number; max: number; samples: number[] };
  /** From the line's return to the cloud's sale made meanwhile being in the edge's replica. */
  down: { p50: number; max: number; samples: number[] };
  target_ms: number;
}

const halfHour = (minutes: number) => Math.ceil((Date.now() + minutes * MIN) / (30 * MIN)) * 30 * MIN;

async function since(start: number, check: () => boolean): Promise<number> {
  while (!check()) {
    if (performance.now() - start > 120_000) return Number.POSITIVE_INFINITY;
    await new Promise((r) => setTimeout(r, 2));
  }
  return Math.round((performance.now() - start) * 10) / 10;
}

function summary(samples: number[]): { p50: number; max: number; samples: number[] } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]!, samples };
}

/**
 * The whole edge app on the production sync settings (backoff 500 ms → 60 s, long-poll 25 s, the
 * default link probe) against the test cloud through a TCP proxy. Each round: the line goes down for
 * `outageMs`, the kiosk sells a walk-in (offline) and the cloud a web booking, the line comes back.
 */
export async function measureReconnect(rounds = 10, outageMs = 3_000): Promise<ReconnectFigures> {
  const cloud = new FakeCloud();
  await cloud.listen();
  const { bayIds } = seedFacility(cloud, { bays: 2 });
  const proxy = new FlakyProxy({ host: '127.0.0.1', port: Number(new URL(cloud.url).port) });
  const proxyUrl = await proxy.listen();
  const tmp = tempDir('edge-bench-');
  let app: FastifyInstance | null = null;
  try {
    app = await buildTestEdge(tmp.dir, {
      CLOUD_URL: proxyUrl,
      EDGE_KEY: cloud.issueKey(),
      SYNC_BACKOFF_BASE_MS: '500',
      SYNC_BACKOFF_MAX_MS: '60000',
      SYNC_LONG_POLL_MS: '25000',
      SYNC_REQUEST_TIMEOUT_MS: '10000',
    });
    const edge = app;
    const kiosk = `Device ${edge.edge.auth.createKiosk('bench kiosk').key}`;
    const link = edge.edge.sync!.link;
    const has = edge.edge.database.sqlite.prepare('SELECT 1 FROM bookings WHERE id = ?');
    if (!(await eventually(() => edge.edge.sync?.pull.push?.connected === true, 30_000)))
      throw new Error('the edge never connected');
    const up: number[] = [];
    const down: number[] = [];
    for (let round = 0; round < rounds; round++) {
      proxy.setMode('down');
      await eventually(() => !link.online, 10_000);
      const walkIn = await sellWalkIn(edge, kiosk, bayIds[0]!, halfHour(20 + round * 30), 30);
      const web = cloud.sell(bayIds[1]!, halfHour(600 + round * 60), 60);
      if (walkIn === null || web === null) throw new Error('a sale was refused');
      await new Promise((r) => setTimeout(r, outageMs));
      proxy.setMode('up');
      const back = performance.now();
      const [u, d] = await Promise.all([
        since(back, () => cloud.get('booking', walkIn.booking.id) !== undefined),
        since(back, () => has.get(web) !== undefined),
      ]);
      up.push(u);
      down.push(d);
      process.stderr.write(`[edge-sync] reconnect round ${round + 1}: up ${u} ms, down ${d} ms\n`);
    }
    return { rounds, outage_ms: outageMs, up: summary(up), down: summary(down), target_ms: 500 };
  } finally {
    await app?.close();
    await proxy.close();
    await cloud.close();
    tmp.cleanup();
  }
}

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PAYMENT_POLICY } from '@clubos/shared/payments';
import { FEED_HEAD_EVENT } from '@clubos/shared/sync';
import { startStripeSimulator } from '@clubos/simulators/stripe/index';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { PaymentPolicyRepository } from '../src/payments/payment-policy.repository.js';
import { createTestDatabase } from '../src/testing/test-app.js';
import { distinctBookings, seedBenchFacility } from './bench-facility.js';

/**
 * Payment succeeded → booking confirmed and on the edge (issue #14: p95 < 500 ms). N checkout holds
 * at a facility that asks full payment online; each is paid on the Stripe simulator (which then
 * posts the signed webhook to the cloud over HTTP), and the time runs until a connected edge (the
 * head stream plus `changes?after=`, as the edge does) reads the booking confirmed. Paid one at a
 * time, then C at a time. `BENCH_BOOKINGS` (≥ 200), `BENCH_CONCURRENCY`, `BENCH_OUT`,
 * `BENCH_DATABASES` (e.g. `postgres`).
 */
const SECRET = 'whsec_bench_edge';
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const OUT = process.env.BENCH_OUT ?? join(import.meta.dirname, '../../bench/payments-to-edge.md');

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** A connected edge: follows the head stream and pulls what is past its cursor; reports confirmations. */
function connectEdge(baseUrl: string, key: string, onConfirmed: (bookingId: string) => void) {
  const controller = new AbortController();
  const headers = { authorization: `Edge ${key}` };
  let cursor = 0;
  let head = 0;
  let pulling = false;
  const pull = async () => {
    if (pulling) return;
    pulling = true;
    try {
      while (head > cursor) {
        const res = await fetch(`${baseUrl}/api/v1/edge/changes?after=${cursor}&limit=500`, { headers });
        const body = (await res.json()) as {
          changes: { entity: string; entity_id: string; data: { status?: string } | null }[];
          next_after: number;
        };
        for (const c of body.changes) {
          if (c.entity === 'booking' && c.data?.status === 'confirmed') onConfirmed(c.entity_id);
        }
        cursor = body.next_after;
      }
    } finally {
      pulling = false;
    }
  };
  const ready = (async () => {
    const res = await fetch(`${baseUrl}/api/v1/edge/changes/stream?heartbeat_ms=5000`, {
      headers,
      signal: controller.signal,
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let first = true;
    return new Promise<void>((resolve) => {
      void (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (!block.includes(`event: ${FEED_HEAD_EVENT}`) || !data) continue;
            head = Math.max(head, (JSON.parse(data.slice(6)) as { head: number }).head);
            if (first) {
              first = false;
              cursor = head; // what happened before the edge connected is its snapshot's
              resolve();
            } else void pull();
          }
        }
      })().catch(() => undefined);
    });
  })();
  return { ready, close: () => controller.abort() };
}

async function run(kind: 'pglite' | 'postgres') {
  const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_bench_pay_edge');
  const sim = await startStripeSimulator({ port: 0, webhooks: { retryDelaysMs: [50, 200, 1_000] } });
  const app = await buildApp({
    config: testConfig({
      databaseUrl,
      logLevel: 'silent',
      payments: {
        stripeSecretKey: sim.apiKey,
        webhookSecret: SECRET,
        api: sim.sdkConfig,
        maxNetworkRetries: 1,
        timeoutMs: 5_000,
        // Holds are paid long before they expire: no sweep in the measured process.
        expirySweepMs: 0,
      },
    }),
  });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  sim.control.addWebhookEndpoint({
    url: `${baseUrl}/api/v1/payments/stripe/webhook`,
    events: ['*'],
    secret: SECRET,
  });
  const waiting = new Map<string, (at: number) => void>();
  let edge: ReturnType<typeof connectEdge> | undefined;
  try {
    const facility = await seedBenchFacility(app);
    await new PaymentPolicyRepository(app.db).upsert(
      facility.facilityId,
      { ...DEFAULT_PAYMENT_POLICY, mode: 'full' },
      null,
    );
    const { key } = await app.services.edgeFeed.register(facility.facilityId, 'Bench edge');
    edge = connectEdge(baseUrl, key, (id) => waiting.get(id)?.(performance.now()));
    await edge.ready;

    // Holds and their Checkout Sessions first (not measured).
    const next = distinctBookings(facility, 'payedge');
    const sessions: { bookingId: string; sessionId: string }[] = [];
    for (let i = 0; i < BOOKINGS * 2; i++) {
      const hold = await app.services.bookings.createHold(null, JSON.parse(next()));
      const answer = await app.services.bookingCheckout.begin(hold.id, baseUrl);
      sessions.push({ bookingId: hold.id, sessionId: answer.checkout_url.split('/').pop()! });
    }

    const payOne = async (s: { bookingId: string; sessionId: string }) => {
      const seen = new Promise<number>((resolve) => waiting.set(s.bookingId, resolve));
      const paidAt = performance.now();
      const outcome = sim.control.payCheckoutSession(s.sessionId, { number: '4242424242424242' });
      if (outcome.kind === 'failed') throw new Error(`payment failed: ${outcome.message}`);
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`booking ${s.bookingId} not on the edge after 30 s`)),
          30_000,
        ).unref(),
      );
      const at = await Promise.race([seen, timeout]);
      waiting.delete(s.bookingId);
      return at - paidAt;
    };
    const phase = async (items: typeof sessions, inFlight: number) => {
      const ms: number[] = [];
      let i = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (i < items.length) ms.push(await payOne(items[i++]!));
        }),
      );
      const wallMs = performance.now() - started;
      return {
        inFlight,
        n: ms.length,
        p50: percentile(ms, 50),
        p95: percentile(ms, 95),
        max: Math.max(...ms),
        perSecond: (ms.length / wallMs) * 1000,
      };
    };
    const one = await phase(sessions.slice(0, BOOKINGS), 1);
    const many = await phase(sessions.slice(BOOKINGS), CONCURRENCY);
    return [
      { kind, ...one },
      { kind, ...many },
    ];
  } finally {
    edge?.close();
    await app.close();
    await sim.close();
    await drop?.();
  }
}

const kinds = (process.env.BENCH_DATABASES?.split(',') ??
  (process.env.TEST_DATABASE_URL ? ['postgres', 'pglite'] : ['pglite'])) as ('pglite' | 'postgres')[];
const rows = [];
for (const kind of kinds) rows.push(...(await run(kind)));
const load = os.loadavg().map((l) => l.toFixed(1));
const table = [
  '# Payment succeeded → booking confirmed and on the edge',
  '',
  `\`npx tsx cloud/bench/payment-to-edge.bench.ts\` (with TEST_DATABASE_URL for PostgreSQL): checkout holds at a`,
  'facility that asks full payment online, each paid on the Stripe simulator (in process), which posts the',
  'signed `checkout.session.completed` / `payment_intent.succeeded` webhooks to the cloud over HTTP. Timed',
  'from the payment succeeding at the simulator until a connected edge (head stream + `changes?after=`)',
  `reads the booking \`confirmed\`. Paid one at a time, then ${CONCURRENCY} at a time. The simulator, the cloud`,
  `and the edge client share one Node process. ${os.cpus().length} cores, load average ${load.join(' / ')} (1 / 5 / 15 min) at the end.`,
  '',
  '| database | paid at once | bookings | p50 | p95 | max | confirmed per second |',
  '|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.kind} | ${r.inFlight} | ${r.n} | ${r.p50.toFixed(1)} ms | **${r.p95.toFixed(1)} ms** | ${r.max.toFixed(1)} ms | ${r.perSecond.toFixed(1)} |`,
  ),
  '',
];
writeFileSync(OUT, table.join('\n'));
process.stdout.write(`${table.join('\n')}\n`);

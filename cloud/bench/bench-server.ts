import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { type BenchFacility, seedBenchFacility } from './bench-facility.js';

/**
 * The cloud under load, in its own process (forked by api.bench.ts), so the load generator does
 * not share the server's event loop. Messages: parent → `{ type: 'cpu' }` (answered with the
 * process's CPU time so far, in ms, and the server-side times of the responses since the last
 * ask) and `{ type: 'close' }`; child → `{ type: 'ready', base,
 * facility, facilities }` once seeded (or given as JSON in `BENCH_FACILITIES`) and listening.
 */
export type ServerMessage =
  | { type: 'ready'; base: string; facility: BenchFacility; facilities: BenchFacility[] }
  | { type: 'cpu'; ms: number; serverTimes: number[] };

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
  const app = await buildApp({ config: testConfig({ databaseUrl, logLevel: 'silent' }) });
  // BENCH_FACILITIES: another instance on the same database seeded them (scale-out bench, drills);
  // else BENCH_SEED_FACILITIES of them (default 1) are seeded here.
  const facilities: BenchFacility[] = process.env.BENCH_FACILITIES
    ? (JSON.parse(process.env.BENCH_FACILITIES) as BenchFacility[])
    : [];
  for (let i = facilities.length; i < Number(process.env.BENCH_SEED_FACILITIES ?? 1); i++) {
    facilities.push(await seedBenchFacility(app));
  }
  const facility = facilities[0]!;
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  // Time in the server per response (request parsed → response written): what the server adds,
  // apart from the load generator and the kernel queues in front of it.
  let serverTimes: number[] = [];
  app.server.on('request', (_request, response) => {
    const started = process.hrtime.bigint();
    response.once('finish', () => serverTimes.push(Number(process.hrtime.bigint() - started) / 1e6));
  });
  const send = (message: ServerMessage) => process.send?.(message);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') {
      const used = process.cpuUsage();
      send({ type: 'cpu', ms: (used.user + used.system) / 1000, serverTimes });
      serverTimes = [];
    } else if (message.type === 'close') {
      void app.close().then(() => process.exit(0));
    }
  });
  send({ type: 'ready', base, facility, facilities });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

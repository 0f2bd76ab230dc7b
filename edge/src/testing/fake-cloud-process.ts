/**
 * The test feed server in its own process (benchmarks: the cloud is another machine, its CPU must
 * not count against the edge's). `tsx fake-cloud-process.ts <bays>` seeds a facility and prints
 * `{ url, key }`; each stdin line `backlog <n>` then queues n booking changes (creates and
 * cancellations) and prints `{ head }`. Serves until killed.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { FakeCloud } from './fake-cloud.js';
import { seedFacility } from './seed-facility.js';

const cloud = new FakeCloud();
const { bayIds } = seedFacility(cloud, { bays: Number(process.argv[2] ?? 20) });
const ids: string[] = [];

function backlog(n: number): void {
  const start = Date.now() + 86_400_000;
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0 || ids.length === 0) {
      const id = randomUUID();
      ids.push(id);
      const at = start + i * 60_000;
      cloud.put('booking', id, {
        facility_id: cloud.facilityId,
        simulator_id: bayIds[i % bayIds.length],
        reference_code: id.slice(0, 6).toUpperCase(),
        start_time: new Date(at).toISOString(),
        end_time: new Date(at + 3_600_000).toISOString(),
        duration: 60,
        status: 'confirmed',
        price: '40.00',
        price_cents: 4000,
      });
    } else {
      const id = ids[Math.floor(Math.random() * ids.length)]!;
      cloud.put('booking', id, { ...cloud.get('booking', id)!, status: 'cancelled' });
    }
  }
}

const key = cloud.issueKey();
void cloud.listen().then((url) => {
  process.stdout.write(`${JSON.stringify({ url, key })}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, n] = line.trim().split(' ');
    if (command === 'backlog') {
      backlog(Number(n));
      process.stdout.write(`${JSON.stringify({ head: cloud.head })}\n`);
    }
  });
});

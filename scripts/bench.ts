/**
 * `npm run bench`: runs every benchmark one after another (never in parallel: they would measure
 * each other) and lists their result tables. Each benchmark writes its own table under `bench/`.
 * `npm run bench -- availability` runs only the benchmarks whose path contains the word.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const BENCHMARKS = [
  { file: 'shared/bench/availability.bench.ts', table: 'bench/availability.md' },
  { file: 'cloud/bench/api.bench.ts', table: 'bench/cloud-api.md' },
  { file: 'cloud/bench/scale-out.bench.ts', table: 'bench/scale-out.md' },
  { file: 'cloud/bench/payments-webhooks.bench.ts', table: 'bench/payments-webhooks.md' },
  { file: 'cloud/bench/payment-to-edge.bench.ts', table: 'bench/payments-to-edge.md' },
  { file: 'edge/bench/sync.bench.ts', table: 'bench/edge-sync.md' },
  { file: 'edge/bench/doors.bench.ts', table: 'bench/edge-doors.md' },
  { file: 'simulators/bench/notifications.bench.ts', table: 'bench/notifications.md' },
];

const filter = process.argv.slice(2).filter((arg) => arg !== '--');
const selected = BENCHMARKS.filter(
  (b) => existsSync(join(root, b.file)) && (filter.length === 0 || filter.some((f) => b.file.includes(f))),
);
if (selected.length === 0) {
  process.stderr.write(
    `no benchmark matches ${filter.join(' ')}; known: ${BENCHMARKS.map((b) => b.file).join(', ')}\n`,
  );
  process.exit(2);
}

if (!process.env.TEST_DATABASE_URL) {
  process.stdout.write(
    '[bench] TEST_DATABASE_URL is unset: the cloud runs on PGlite only. Set it (e.g. postgres://postgres@127.0.0.1:5432/postgres) to measure PostgreSQL too.\n',
  );
}

let failed = 0;
for (const [i, bench] of selected.entries()) {
  process.stdout.write(`\n[bench ${i + 1}/${selected.length}] ${bench.file}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', bench.file], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    process.stderr.write(`[bench] ${bench.file} failed (exit ${run.status}); its table was not updated\n`);
  } else {
    process.stdout.write(`[bench] results: ${bench.table}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);

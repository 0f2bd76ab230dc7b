import { parseArgs } from 'node:util';
import { startCloudCluster } from './cloud-cluster.js';

/**
 * `DATABASE_URL=postgres://… npx tsx deploy/haproxy/run-cluster.ts --instances 3 --port 8080`:
 * N cloud instances behind HAProxy on one PostgreSQL, until Ctrl-C (then each drains and stops).
 */
const { values } = parseArgs({
  options: { instances: { type: 'string', default: '3' }, port: { type: 'string', default: '8080' } },
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL (PostgreSQL) is required: several instances share one database.');
  process.exit(1);
}
const cluster = await startCloudCluster({
  databaseUrl,
  instances: Number(values.instances),
  port: Number(values.port),
  echo: process.stdout,
});
console.log(`${cluster.instances.length} instances behind HAProxy at ${cluster.url}:`);
for (const s of cluster.instances) console.log(`  ${s.id} ${s.url}`);
const stop = () => void cluster.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

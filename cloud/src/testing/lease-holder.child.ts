import { LeaderLease } from '../cluster/leader-lease.js';

/**
 * One instance's leader lease in its own process, for the SIGKILL test in cluster.test.ts: PostgreSQL
 * from LEASE_CHILD_DB, name from LEASE_CHILD_ID. Prints "held" once it leads; a kill -9 is the only way out.
 */
const lease = new LeaderLease({
  url: process.env.LEASE_CHILD_DB,
  instanceId: process.env.LEASE_CHILD_ID ?? 'child',
  retryMs: 200,
});
lease.on('change', (held) => {
  if (held) process.stdout.write('held\n');
});
await lease.start();
setInterval(() => {}, 60_000);

import { failoverDrill } from './failover-drill.ts';
console.log(await failoverDrill({ beforeMs: 4000, afterMs: 2000, writers: 8, log: console.log }));

import { distinctBookings } from '../../cloud/bench/bench-facility.js';
import { startCloud } from '../../cloud/bench/bench-instance.js';
import { type Cluster, createPrimary, createReplica } from './pg-cluster.js';

/**
 * The promotion drill (deploy/RUNBOOK.md): a primary with a synchronous streaming replica, a real
 * cloud on the host list `replica,primary?target_session_attrs=read-write`, bookings written
 * through its HTTP API by `writers` loops; mid-run the primary is killed (`pg_ctl stop -m
 * immediate`) and the replica promoted. The cloud is not restarted.
 */
export interface FailoverOptions {
  /** Writing before the primary is stopped, and after the first booking on the new primary. */
  beforeMs: number;
  afterMs: number;
  writers: number;
  /** Synchronous replication (default): an acknowledged booking is on the replica's disk. */
  synchronous?: boolean;
  stopMode?: 'fast' | 'immediate';
  log?: (line: string) => void;
}

export interface FailoverResult {
  synchronous: boolean;
  stopMode: string;
  acknowledged: number;
  /** Acknowledged (201) bookings missing from the promoted replica. */
  lost: number;
  /** Requests answered other than 201 (during the outage), and network errors. */
  failedRequests: number;
  /** `pg_ctl promote` run time. */
  promoteSeconds: number;
  /** Longest time between two acknowledged bookings across the failover. */
  unavailableSeconds: number;
  /** Primary told to stop → first booking asked for once it was down and acknowledged (by the new primary). */
  stopToFirstWriteSeconds: number;
  bookingsPerSecondBefore: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function failoverDrill(options: FailoverOptions): Promise<FailoverResult> {
  const log = options.log ?? (() => {});
  const synchronous = options.synchronous ?? true;
  const stopMode = options.stopMode ?? 'immediate';
  const clusters: Cluster[] = [];
  let cloud: Awaited<ReturnType<typeof startCloud>> | undefined;
  try {
    const primary = await createPrimary({ synchronous });
    clusters.push(primary);
    const replica = await createReplica(primary);
    clusters.push(replica);
    log(
      `primary :${primary.port}, replica :${replica.port} (${synchronous ? 'synchronous' : 'asynchronous'})`,
    );
    // The standby is listed first: the cloud must pass over it now, and find it once promoted.
    const url = `postgres://postgres@127.0.0.1:${replica.port},127.0.0.1:${primary.port}/postgres?target_session_attrs=read-write`;
    cloud = await startCloud(url);
    log(`cloud up on ${cloud.base}`);
    const { base, facility } = cloud;
    const next = distinctBookings(facility, 'drill');

    const acknowledged: { id: string; sent: number; at: number }[] = [];
    let failedRequests = 0;
    let lastFailure = '';
    let stopping = false;
    const writer = async () => {
      while (!stopping) {
        const sent = Date.now();
        try {
          const response = await fetch(`${base}/api/v1/bookings`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: next(),
            // A request the cloud never answers must fail the drill, not hang it.
            signal: AbortSignal.timeout(20_000),
          });
          const body = (await response.json()) as { id?: string };
          if (response.status === 201 && body.id) acknowledged.push({ id: body.id, sent, at: Date.now() });
          else {
            lastFailure = `${response.status} ${JSON.stringify(body).slice(0, 300)}`;
            failedRequests += 1;
            await sleep(20);
          }
        } catch (error) {
          lastFailure = String(error);
          failedRequests += 1;
          await sleep(20);
        }
      }
    };
    const started = Date.now();
    const writers = Array.from({ length: options.writers }, writer);
    await sleep(options.beforeMs);
    const before = acknowledged.length;
    const beforeSeconds = (Date.now() - started) / 1000;

    const stoppedAt = Date.now();
    await primary.stop(stopMode);
    // Requests sent while `pg_ctl stop` ran may still have committed on the old primary: only one
    // sent after it returned proves the new primary takes writes.
    const downAt = Date.now();
    log(`primary stopped (${stopMode}) after ${before} bookings`);
    const promoteStarted = Date.now();
    await replica.promote();
    const promoteSeconds = (Date.now() - promoteStarted) / 1000;
    log(`replica promoted in ${promoteSeconds.toFixed(2)} s`);
    // The first booking asked for once the primary was down and acknowledged: written on the new primary.
    const firstAfter = () => acknowledged.find((a) => a.sent >= downAt);
    while (!firstAfter() && Date.now() - stoppedAt < 60_000) await sleep(20);
    const first = firstAfter();
    log(first ? 'writing again' : `no write 60 s after the stop; last failure: ${lastFailure}`);
    await sleep(options.afterMs);
    stopping = true;
    await Promise.all(writers);

    const ids = acknowledged.map((a) => a.id);
    // In chunks: thousands of ids on one psql command line pass the OS's argument limit (E2BIG).
    let stored = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      stored += Number(
        await replica.psql(
          `SELECT count(*) FROM bookings WHERE id IN (${chunk.map((id) => `'${id}'`).join(',')})`,
        ),
      );
    }
    let gap = 0;
    for (let i = 1; i < acknowledged.length; i += 1) {
      gap = Math.max(gap, acknowledged[i]!.at - acknowledged[i - 1]!.at);
    }
    return {
      synchronous,
      stopMode,
      acknowledged: ids.length,
      lost: ids.length - stored,
      failedRequests,
      promoteSeconds,
      unavailableSeconds: gap / 1000,
      stopToFirstWriteSeconds: first ? (first.at - stoppedAt) / 1000 : Number.POSITIVE_INFINITY,
      bookingsPerSecondBefore: Math.round(before / beforeSeconds),
    };
  } finally {
    await cloud?.close();
    for (const c of clusters) await c.destroy();
  }
}

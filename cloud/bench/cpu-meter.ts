import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Busy and total CPU time of the whole machine so far (ms), from /proc/stat; undefined off Linux. */
function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal (clock ticks, 100/s)
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const idle = ticks[3]! + ticks[4]!;
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: (total - idle) * 10, total: total * 10 };
  } catch {
    return undefined;
  }
}

export interface CpuReading {
  /** CPU ms of this process (the load generator) in the interval. */
  loadGeneratorMs: number;
  /** CPU ms of every process on the machine in the interval (server, database, load generator, the rest). */
  machineBusyMs: number | undefined;
  /** How many of the machine's cores were busy on average (machine busy / wall time). */
  busyCores: number | undefined;
}

/**
 * Where a scenario's CPU went: the load generator's own (this process) and the whole machine's.
 * With the server's own CPU (measured in its process), the rest is mostly PostgreSQL. On a
 * machine whose cores are all busy, the sum per request bounds the throughput any tuning of one
 * part can reach: cores × 1000 / (all CPU ms per request).
 */
export function startCpuMeter(): () => CpuReading {
  const own = process.cpuUsage();
  const machine = machineCpu();
  const started = process.hrtime.bigint();
  return () => {
    const used = process.cpuUsage(own);
    const after = machineCpu();
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const machineBusyMs = machine && after ? after.busy - machine.busy : undefined;
    return {
      loadGeneratorMs: (used.user + used.system) / 1000,
      machineBusyMs,
      busyCores: machineBusyMs === undefined ? undefined : Math.round((machineBusyMs / wallMs) * 100) / 100,
    };
  };
}

export const CORES = os.cpus().length;

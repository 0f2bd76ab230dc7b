import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '../..');

export interface SimulatorProcess {
  /** The JSON line `clubos-sim` prints once listening (URLs, credentials). */
  info: Record<string, string>;
  pid: number;
  stop(): void;
}

/**
 * One `clubos-sim` simulator in its own process (as in the demo), so its CPU is not the cloud's:
 * a bench that ran the SMTP server and the Twilio simulator in the cloud's process charged their
 * work (parsing mail, signing callbacks) to the cloud.
 */
export async function startSimulatorProcess(args: string[]): Promise<SimulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'simulators/src/cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`clubos-sim ${args[0]} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  return {
    info: JSON.parse(line) as Record<string, string>,
    pid: child.pid as number,
    stop: () => child.kill('SIGTERM'),
  };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (100 ticks a second). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** CPU ms the given processes used from now until the returned function is called. */
export function startProcessesMeter(pids: number[]): () => number | undefined {
  const before = pids.map(processCpuMs);
  return () => {
    let total = 0;
    for (const [i, pid] of pids.entries()) {
      const now = processCpuMs(pid);
      const then = before[i];
      if (now === undefined || then === undefined) return undefined;
      total += now - then;
    }
    return total;
  };
}

/** CPU ms of every process named `postgres` so far, by pid, with its title (`postgres: user db …`). */
function postgresProcesses(): Map<number, { cpuMs: number; title: string }> {
  const found = new Map<number, { cpuMs: number; title: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const cpuMs = processCpuMs(Number(entry));
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cpuMs !== undefined) found.set(Number(entry), { cpuMs, title });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/**
 * PostgreSQL's CPU from now until the returned function is called, read from /proc (the server must
 * run on this machine): the backends connected to `database`, and every postgres process (WAL writer,
 * checkpointer and other databases' backends included). A backend that exits meanwhile is lost.
 */
export function startPostgresMeter(database: string): () => { databaseMs: number; allMs: number } {
  const before = postgresProcesses();
  return () => {
    let databaseMs = 0;
    let allMs = 0;
    for (const [pid, now] of postgresProcesses()) {
      const used = now.cpuMs - (before.get(pid)?.cpuMs ?? 0);
      allMs += used;
      if (now.title.split(' ').includes(database)) databaseMs += used;
    }
    return { databaseMs, allMs };
  };
}

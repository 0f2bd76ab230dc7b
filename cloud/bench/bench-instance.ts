import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { BenchFacility } from './bench-facility.js';
import type { ServerMessage } from './bench-server.js';

const BENCH_SERVER = path.join(import.meta.dirname, 'bench-server.ts');

export interface CloudProcess {
  base: string;
  facility: BenchFacility;
  facilities: BenchFacility[];
  child: ChildProcess;
  /** CPU ms the process has used so far. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A real cloud in its own process (the bench server: the whole app on `databaseUrl`, listening on
 * a free port). It seeds `seed` bench facilities, or serves `facilities` when another instance seeded them.
 */
export async function startCloud(
  databaseUrl: string,
  facilities?: BenchFacility[],
  seed = 1,
): Promise<CloudProcess> {
  const child = fork(BENCH_SERVER, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_DATABASE_URL: databaseUrl,
      BENCH_SEED_FACILITIES: String(seed),
      ...(facilities ? { BENCH_FACILITIES: JSON.stringify(facilities) } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends ServerMessage['type']>(type: T) =>
    new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ServerMessage) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<ServerMessage, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`cloud process exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next('ready');
  return {
    base: ready.base,
    facility: ready.facility,
    facilities: ready.facilities,
    child,
    cpuMs: async () => {
      const answer = next('cpu');
      child.send({ type: 'cpu' });
      return (await answer).ms;
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT } from './env-vars.js';

export interface EdgeProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM, as `systemctl stop` sends; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The edge exactly as clubos-edge.service starts it: `node --import tsx edge/src/server.ts` in the
 * checkout, with the environment file (Node's --env-file standing in for EnvironmentFile=).
 */
export function startEdge(envFile: string): EdgeProcess {
  const child = spawn(process.execPath, [`--env-file=${envFile}`, '--import', 'tsx', 'edge/src/server.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** Polls `check` until it holds; throws with `describe()` when `timeoutMs` passes. */
export async function waitFor(
  check: () => boolean,
  describe: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out: ${describe()}`);
}

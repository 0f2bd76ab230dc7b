import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './env-vars.js';
import { parseUnitFile, unitValue } from './unit-file.js';

export interface EdgeProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM, as `systemctl stop` sends; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const UNIT = path.join(REPO_ROOT, 'deploy', 'systemd', 'clubos-edge.service');
let built = false;

/** Builds the compiled edge the unit runs (`build:runtime`), once per test process. */
export function buildEdgeRuntime(): void {
  if (built) return;
  execFileSync(
    process.execPath,
    [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'edge/tsconfig.build.json'],
    {
      cwd: REPO_ROOT,
      stdio: 'pipe',
    },
  );
  built = true;
}

/**
 * The edge exactly as clubos-edge.service starts it: the unit's ExecStart arguments and its
 * `Environment=` assignments, in the checkout, with the environment file (Node's --env-file
 * standing in for EnvironmentFile=).
 */
export function startEdge(envFile: string): EdgeProcess {
  buildEdgeRuntime();
  const unit = parseUnitFile(readFileSync(UNIT, 'utf8'));
  const [, ...args] = (unitValue(unit, 'Service', 'ExecStart') ?? '').split(' ');
  const unitEnv = Object.fromEntries(
    (unitValue(unit, 'Service', 'Environment') ?? '')
      .split(' ')
      .map((pair) => pair.split('=') as [string, string]),
  );
  const child = spawn(process.execPath, [`--env-file=${envFile}`, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...unitEnv },
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

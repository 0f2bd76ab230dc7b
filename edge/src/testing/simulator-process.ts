import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NinjaOneClient, type NinjaOneClientOptions } from '../bays/ninjaone.client.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface SimulatorProcess {
  /** The JSON line the simulator CLI prints once it listens (url, api_url, credentials...). */
  info: Record<string, string>;
  /** Calls the simulator's test control API (`/__control/...`). */
  control<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts a simulator through its CLI in a child process. The edge depends on the simulators only
 * over HTTP, exactly as it will in the demo, so the packages stay independent.
 */
export async function startSimulatorProcess(
  kind: 'unifi' | 'ninjaone',
  args: string[] = [],
): Promise<SimulatorProcess> {
  const cli = fileURLToPath(new URL(`simulators/src/${kind}/cli.ts`, `file://${REPO_ROOT}`));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const info = await firstLine(child);
  const control = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${info.url}/__control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`control ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { info, control, stop };
}

function firstLine(child: ChildProcess): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulator did not start within 20 s: ${err}`));
    }, 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(out.slice(0, newline)) as Record<string, string>);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with ${code}: ${err}`));
    });
  });
}

/** A NinjaOne client signed in to a simulator process, without retries (tests see each failure). */
export function ninjaOneClientOf(
  sim: SimulatorProcess,
  options: Partial<NinjaOneClientOptions> = {},
): NinjaOneClient {
  return new NinjaOneClient({
    baseUrl: sim.info.url!,
    clientId: sim.info.client_id!,
    clientSecret: sim.info.client_secret!,
    refreshToken: sim.info.refresh_token,
    retry: { retries: 0 },
    ...options,
  });
}

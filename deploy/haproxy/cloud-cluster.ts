import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/env-vars.js';
import { haproxyConfig } from './haproxy-config.js';

export const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
const SERVER = path.join(REPO_ROOT, 'cloud', 'src', 'server.ts');

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface CloudInstance {
  id: string;
  port: number;
  url: string;
  child: ChildProcess;
  output(): string;
}

export interface CloudCluster {
  /** HAProxy's address: what clients use. */
  url: string;
  instances: CloudInstance[];
  /** Secrets every instance shares (tokens signed by one are valid on all). */
  env: Record<string, string>;
  /** Starts the instance again (same id and port) after a kill; resolves once it is ready. */
  restart(index: number): Promise<void>;
  stop(): Promise<void>;
}

export interface CloudClusterOptions {
  databaseUrl: string;
  instances: number;
  /** HAProxy's port; a free one by default. */
  port?: number;
  /** Extra environment for every instance (rate limits, intervals). */
  env?: Record<string, string>;
  /** Where the instances' output goes besides being kept (the CLI passes process.stdout). */
  echo?: NodeJS.WritableStream;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`instance exited with ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

/**
 * N cloud instances (`cloud/src/server.ts`, each its own process on its own port, all on one
 * PostgreSQL database and with the same secrets) behind a real HAProxy. They start together, so
 * the migrations run under their advisory lock.
 */
export async function startCloudCluster(options: CloudClusterOptions): Promise<CloudCluster> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clubos-cluster-'));
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    CLOUD_DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ACCESS_SIGNING_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    API_DOCS: 'false',
    DRAIN_MS: '2500', // more than 3 failed checks at 500 ms: HAProxy has stopped sending
    ...options.env,
  };
  const instances: CloudInstance[] = [];
  for (let i = 1; i <= options.instances; i++) {
    const port = await freePort();
    instances.push({
      id: `cloud-${i}`,
      port,
      url: `http://127.0.0.1:${port}`,
      child: null as unknown as ChildProcess,
      output: () => '',
    });
  }
  const launch = (instance: CloudInstance) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
      cwd: path.join(REPO_ROOT, 'cloud'),
      env: { ...process.env, ...env, PORT: String(instance.port), INSTANCE_ID: instance.id },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer) => {
      output += d;
      options.echo?.write(d);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    instance.child = child;
    instance.output = () => output;
    return waitReady(instance.url, child, 120_000);
  };
  const killAll = () => {
    for (const s of instances) s.child?.kill('SIGKILL');
  };
  try {
    await Promise.all(instances.map(launch));
  } catch (error) {
    killAll();
    throw error;
  }

  const port = options.port ?? (await freePort());
  const cfg = path.join(dataDir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    haproxyConfig({
      port,
      servers: instances.map((s) => ({ name: s.id, port: s.port })),
      checkIntervalMs: 500,
    }),
  );
  const haproxy = spawn(HAPROXY, ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let haproxyOutput = '';
  haproxy.stdout?.on('data', (d) => {
    haproxyOutput += d;
  });
  haproxy.stderr?.on('data', (d) => {
    haproxyOutput += d;
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, haproxy, 20_000);
  } catch (error) {
    killAll();
    haproxy.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${haproxyOutput}`);
  }

  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');
  return {
    url,
    instances,
    env,
    restart: (index) => launch(instances[index]!),
    stop: async () => {
      for (const s of instances) s.child.kill('SIGTERM');
      haproxy.kill('SIGTERM');
      await Promise.all([...instances.map((s) => exited(s.child)), exited(haproxy)]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

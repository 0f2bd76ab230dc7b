import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/env-vars.js';

const dockerfile = readFileSync(path.join(REPO_ROOT, 'deploy', 'Dockerfile.cloud'), 'utf8');
/** The image's command, e.g. ["node", "--conditions=clubos-build", "cloud/dist/runtime/server.js"]. */
const command = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];

let child: ChildProcess;
let output = '';
let baseUrl: string;
const dataDir = mkdtempSync(path.join(tmpdir(), 'clubos-cloud-runtime-'));

/** The compiled cloud as the image runs it: `build:runtime`, then the CMD, on PGlite and a free port. */
beforeAll(async () => {
  execFileSync(
    process.execPath,
    [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'cloud/tsconfig.build.json'],
    { cwd: REPO_ROOT, stdio: 'pipe' },
  );
  child = spawn(process.execPath, command.slice(1), {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'production',
      CLOUD_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      ADMIN_PASSWORD: 'runtime-admin-password',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the compiled cloud did not start:\n${output}`)),
      150_000,
    );
    const check = () => {
      const url = /ClubOS cloud listening on (http:\/\/[^\s"]+)/.exec(output)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`the compiled cloud exited (${code}):\n${output}`)));
  });
}, 240_000);

afterAll(async () => {
  if (child?.exitCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the compiled cloud (Dockerfile.cloud)', () => {
  it('runs plain node on the build, with no TypeScript loader', () => {
    expect(command).toEqual(['node', '--conditions=clubos-build', 'cloud/dist/runtime/server.js']);
    expect(dockerfile).toMatch(/^RUN pnpm --filter @clubos\/cloud build:runtime$/m);
  });

  it('answers /health and the public API', async () => {
    // Readiness answers 503 while the instance sheds load (a busy CI machine right after start can
    // trip it, by design): ready means 200 within a minute.
    let health = await fetch(`${baseUrl}/health`);
    for (const until = Date.now() + 60_000; health.status === 503 && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      health = await fetch(`${baseUrl}/health`);
    }
    expect(health.status).toBe(200);
    const venues = await fetch(`${baseUrl}/api/v1/site/facilities`);
    expect(venues.status).toBe(200);
    expect(await venues.json()).toEqual({ facilities: [] });
    const bad = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
  });

  it('logs pino JSON lines, one object per line', () => {
    const lines = output.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the edge server process', () => {
  it('logs pino JSON lines (for journald and log shippers), one object per line', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'edge-server-'));
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        EDGE_DATA_DIR: dir,
        HOST: '127.0.0.1',
        PORT: '0',
        MQTT_PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (d) => {
      out += d;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" line:\n${out}`)), 45_000);
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('Server listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    const lines = out.split('\n').filter((line) => line !== '');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Server listening at http:\/\/127\.0\.0\.1:\d+$/)]),
    );
  }, 60_000);
});

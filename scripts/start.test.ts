import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** `npm start -- <args>` without the install check: the CLI itself, as a child process. */
function start(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm start port flags', () => {
  it.each([
    ['--edge-port', '4190'],
    ['--port', '6000'],
  ])('refuses %s %s, a port browsers and fetch refuse, before starting anything', (flag, port) => {
    const run = start([flag, port]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `${flag} ${port} cannot be used: port ${port} is on the fetch standard's list`,
    );
    expect(run.stdout).not.toContain('starting');
  });
});

#!/usr/bin/env node
// Installs whatever a fresh clone is missing, so `npm start` and `npm test` are the only two
// commands a newcomer needs: pnpm itself (through npx, never corepack: its signature check fails
// on some machines), the workspace's npm packages, and Debian's chromium (browser tests), haproxy and pgbackrest
// (several-instances suite, restore drill) when `--browser` asks for the full test run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@10.34.9';
const marker = join(root, 'node_modules', '.clubos-installed');
const lockfile = join(root, 'pnpm-lock.yaml');

function log(msg) {
  process.stderr.write(`[setup] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    log(
      `"${cmd} ${args.join(' ')}" failed (exit ${r.status}). Fix the error above and run the command again.`,
    );
    process.exit(r.status ?? 1);
  }
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  log(`Node.js ${process.versions.node} is too old: install Node.js 20.19 or newer.`);
  process.exit(1);
}

const lockStamp = existsSync(lockfile)
  ? String(statSync(lockfile).mtimeMs) + readFileSync(lockfile).length
  : '';
const installed = existsSync(marker) && readFileSync(marker, 'utf8') === lockStamp;
if (!installed) {
  log('installing npm packages with pnpm (first run builds better-sqlite3 from source: about 2 minutes)…');
  const hasPnpm = spawnSync('pnpm', ['--version'], { stdio: 'ignore' }).status === 0;
  const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CI: process.env.CI ?? '1' };
  if (hasPnpm) run('pnpm', ['install', '--frozen-lockfile'], { env });
  else run('npx', ['-y', PNPM, 'install', '--frozen-lockfile'], { env });
  writeFileSync(marker, lockStamp);
  log('npm packages installed.');
}

/** Installs Debian packages with apt-get (directly as root, else through sudo); false when it cannot. */
function aptInstall(...packages) {
  const asRoot = process.getuid?.() === 0;
  const apt = (...args) =>
    execFileSync(asRoot ? 'apt-get' : 'sudo', asRoot ? args : ['apt-get', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    apt('update');
    apt('install', '-y', ...packages);
    return true;
  } catch {
    return false;
  }
}

if (process.argv.includes('--browser') && !existsSync('/usr/bin/chromium')) {
  log('installing Debian chromium for the browser tests…');
  if (!aptInstall('chromium')) {
    log('could not install chromium with apt-get: install the "chromium" package yourself, then run again.');
    process.exit(1);
  }
}

// The restore drill (deploy/dr/pitr.test.ts) runs the real pgBackRest.
if (process.argv.includes('--browser') && !existsSync('/usr/bin/pgbackrest')) {
  log('installing Debian pgbackrest for the point-in-time restore drill…');
  if (!aptInstall('pgbackrest')) {
    log(
      'could not install pgbackrest with apt-get: install the "pgbackrest" package yourself, then run again.',
    );
    process.exit(1);
  }
}

// The load-balancer suite (deploy/haproxy/cluster.test.ts) runs the real HAProxy.
if (process.argv.includes('--browser') && !existsSync('/usr/sbin/haproxy')) {
  log('installing Debian haproxy for the several-instances suite…');
  if (!aptInstall('haproxy')) {
    log('could not install haproxy with apt-get: install the "haproxy" package yourself, then run again.');
    process.exit(1);
  }
}

#!/usr/bin/env node
// Installs whatever a fresh clone is missing, so `npm start` and `npm test` are the only two
// commands a newcomer needs: pnpm itself (through npx, never corepack: its signature check fails
// on some machines), the workspace's npm packages, and Debian's chromium and haproxy for the tests.
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

// The test run's Debian packages: chromium (browser tests), haproxy (the load-balancer suite in
// deploy/haproxy). Only those missing are installed.
const debianForTests = [
  ['/usr/bin/chromium', 'chromium'],
  ['/usr/sbin/haproxy', 'haproxy'],
]
  .filter(([path]) => !existsSync(path))
  .map(([, pkg]) => pkg);
if (process.argv.includes('--browser') && debianForTests.length > 0) {
  log(`installing Debian ${debianForTests.join(', ')} for the tests…`);
  // As root call apt-get directly; otherwise through sudo.
  const asRoot = process.getuid?.() === 0;
  const apt = (...args) =>
    execFileSync(asRoot ? 'apt-get' : 'sudo', asRoot ? args : ['apt-get', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    apt('update');
    apt('install', '-y', ...debianForTests);
  } catch {
    log(
      `could not install ${debianForTests.join(', ')} with apt-get: install the Debian package(s) yourself, then run again.`,
    );
    process.exit(1);
  }
}

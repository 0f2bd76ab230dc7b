import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvExample, REPO_ROOT } from '../support/env-vars.js';
import { parseUnitFile, unitValue } from '../support/unit-file.js';

const SYSTEMD = path.join(REPO_ROOT, 'deploy', 'systemd');
const unit = (name: string) => parseUnitFile(readFileSync(path.join(SYSTEMD, name), 'utf8'));
const INSTALL_ROOT = '/opt/clubos';
/** A path in the installed checkout, checked against this one. */
const inCheckout = (installed: string) => path.join(REPO_ROOT, path.relative(INSTALL_ROOT, installed));

describe('clubos-edge.service', () => {
  const edge = unit('clubos-edge.service');
  const service = (key: string) => unitValue(edge, 'Service', key);

  it('runs the edge server of the installed checkout as a dedicated user with its environment file', () => {
    expect(service('User')).toBe('clubos');
    expect(service('WorkingDirectory')).toBe(INSTALL_ROOT);
    expect(service('EnvironmentFile')).toBe('/etc/clubos/edge.env');
    const [node, ...args] = (service('ExecStart') ?? '').split(' ');
    expect(node).toBe('/usr/bin/node');
    // The compiled build (tsx would add ~40 MB and a loader thread), whose sources are in the checkout.
    expect(args).toContain('--conditions=clubos-build');
    expect(args.at(-1)).toBe('edge/dist/runtime/server.js');
    expect(existsSync(path.join(REPO_ROOT, 'edge/tsconfig.build.json'))).toBe(true);
    expect(service('Environment')).toContain('MALLOC_ARENA_MAX=2');
  });

  it('restarts on failure with a backoff, never giving up, except on a bad setting (exit 78)', () => {
    expect(service('Restart')).toBe('on-failure');
    expect(Number.parseInt(service('RestartSec') ?? '0', 10)).toBeGreaterThanOrEqual(1);
    expect(service('RestartMaxDelaySec')).toBeDefined();
    expect(unitValue(edge, 'Unit', 'StartLimitIntervalSec')).toBe('0');
    expect(service('RestartPreventExitStatus')).toBe('78');
  });

  it('keeps its data in the StateDirectory the environment example points at', () => {
    const example = parseEnvExample(readFileSync(path.join(REPO_ROOT, 'deploy', 'edge.env.example'), 'utf8'));
    expect(`/var/lib/${service('StateDirectory')}`).toBe(example.get('EDGE_DATA_DIR')?.value);
  });

  it('is hardened without what breaks Node (JIT) or better-sqlite3 and MQTT', () => {
    expect(service('ProtectSystem')).toBe('strict');
    expect(service('NoNewPrivileges')).toBe('yes');
    expect(service('PrivateTmp')).toBe('yes');
    expect(service('MemoryDenyWriteExecute')).toBeUndefined();
    expect(service('RestrictAddressFamilies')).toContain('AF_INET');
    expect(service('ReadOnlyPaths')).toBeUndefined();
  });
});

describe('clubos-edge-backup timer and service', () => {
  const timer = unit('clubos-edge-backup.timer');
  const backup = unit('clubos-edge-backup.service');

  it('runs the backup service daily, catching up after the box was off', () => {
    expect(unitValue(timer, 'Timer', 'Unit')).toBe('clubos-edge-backup.service');
    expect(unitValue(timer, 'Timer', 'OnCalendar')).toMatch(/^\*-\*-\* \d\d:\d\d(:\d\d)?$/);
    expect(unitValue(timer, 'Timer', 'Persistent')).toBe('true');
    expect(unitValue(timer, 'Install', 'WantedBy')).toBe('timers.target');
  });

  it('runs edge-backup.sh once as the edge user with the edge environment, not reading it twice', () => {
    const exec = unitValue(backup, 'Service', 'ExecStart') ?? '';
    expect(unitValue(backup, 'Service', 'Type')).toBe('oneshot');
    expect(unitValue(backup, 'Service', 'User')).toBe('clubos');
    expect(unitValue(backup, 'Service', 'EnvironmentFile')).toBe('/etc/clubos/edge.env');
    expect(unitValue(backup, 'Service', 'Environment')).toContain('EDGE_ENV_FILE=none');
    expect(existsSync(inCheckout(exec))).toBe(true);
    // Not Requires=: the backup must run while the edge is down too.
    expect(unitValue(backup, 'Unit', 'Requires')).toBeUndefined();
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAPROXY } from './cloud-cluster.js';
import { haproxyConfig } from './haproxy-config.js';

const three = () =>
  haproxyConfig({
    port: 8080,
    host: '0.0.0.0',
    servers: [1, 2, 3].map((i) => ({ name: `cloud-${i}`, port: 3000 + i })),
  });

describe('HAProxy configuration', () => {
  it('is what haproxy.cfg holds for three instances (the file is the function’s output)', () => {
    expect(readFileSync(path.join(import.meta.dirname, 'haproxy.cfg'), 'utf8')).toBe(three());
  });

  it('is valid for HAProxy itself, and checks every instance on /health', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'haproxy-cfg-'));
    try {
      const file = path.join(dir, 'haproxy.cfg');
      writeFileSync(file, three());
      expect(() => execFileSync(HAPROXY, ['-c', '-q', '-f', file], { stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(three()).toContain('option httpchk GET /health');
    expect(three().match(/^ {2}server cloud-\d 127\.0\.0\.1:300\d check/gm)).toHaveLength(3);
  });
});

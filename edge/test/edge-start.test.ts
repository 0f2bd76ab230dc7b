import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startFromUnit, UNIT_FILE } from '../bench/edge-start.js';

describe('startFromUnit (what the memory benchmark runs)', () => {
  it('takes the node arguments from ExecStart and every Environment= assignment', () => {
    const start = startFromUnit(
      [
        '[Service]',
        '# ExecStart=/usr/bin/node old.js',
        'Environment=NODE_ENV=production',
        'Environment="MALLOC_ARENA_MAX=2" MALLOC_MMAP_THRESHOLD_=131072',
        'EnvironmentFile=/etc/clubos/edge.env',
        'ExecStart=/usr/bin/node --conditions=clubos-build edge/dist/runtime/server.js',
      ].join('\n'),
    );
    expect(start.args).toEqual(['--conditions=clubos-build', 'edge/dist/runtime/server.js']);
    expect(start.env).toEqual({
      NODE_ENV: 'production',
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '131072',
    });
  });

  it('refuses a unit whose ExecStart is not node, or that has none', () => {
    expect(() => startFromUnit('ExecStart=/usr/bin/python3 app.py')).toThrow(/not a node command/);
    expect(() => startFromUnit('[Service]\nRestart=always')).toThrow(/no ExecStart/);
  });

  it('reads the committed edge unit', () => {
    const start = startFromUnit(readFileSync(UNIT_FILE, 'utf8'));
    expect(start.args.some((a) => a.startsWith('edge/'))).toBe(true);
    expect(start.env.NODE_ENV).toBe('production');
  });
});

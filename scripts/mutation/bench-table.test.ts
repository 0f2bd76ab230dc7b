import { describe, expect, it } from 'vitest';
import { benchMarkdown, type PackageRun } from './bench-table.js';

const run: PackageRun = {
  pkg: 'edge',
  startedAt: '2026-12-07T16:00:00.000Z',
  durationS: 612.4,
  machine: 'AMD EPYC, 2 cores, 24 GiB RAM',
  loadBefore: '3.10',
  loadAfter: '4.20',
  node: 'v20.20.2',
  mode: 'full',
  notRun: ['edge/src/sync/change-apply.service.ts'],
  scores: [
    {
      file: 'edge/src/doors/door-access.service.ts',
      killed: 95,
      timeout: 0,
      survived: 5,
      noCoverage: 0,
      equivalent: 1,
      errors: 2,
      score: 95,
      survivors: [{ line: 270, mutator: 'EqualityOperator', replacement: 'now > w.end', status: 'Survived' }],
    },
    {
      file: 'edge/src/walk-ins/sale-horizon.ts',
      killed: 8,
      timeout: 0,
      survived: 1,
      noCoverage: 1,
      equivalent: 0,
      errors: 0,
      score: 80,
      survivors: [],
    },
  ],
};

describe('bench/mutation.md', () => {
  it('has a row per module with its counts and whether it meets the bar, the run, the machine and the survivors', () => {
    const text = benchMarkdown([run], 90, ['cloud']);
    expect(text).toContain(
      '| `edge/src/doors/door-access.service.ts` | 95.00 % | 95 | 0 | 5 | 0 | 1 | 2 | met |',
    );
    expect(text).toContain(
      '| `edge/src/walk-ins/sale-horizon.ts` | 80.00 % | 8 | 0 | 1 | 1 | 0 | 0 | **under** |',
    );
    expect(text).toContain('| **all** | 93.64 % | 103 | 0 | 6 | 1 | 1 | 2 | met |');
    expect(text).toContain('2026-12-07T16:00:00.000Z, full');
    expect(text).toContain('612 s');
    expect(text).toContain(
      'AMD EPYC, 2 cores, 24 GiB RAM; Node v20.20.2; 1-minute load average 3.10 before, 4.20 after',
    );
    expect(text).toContain('- `edge/src/doors/door-access.service.ts:270` EqualityOperator → `now > w.end`');
    expect(text).toContain(
      '## cloud\n\nConfigured (`cloud/stryker.config.mjs`) but no whole run recorded yet.',
    );
  });
});

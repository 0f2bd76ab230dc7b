import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changedSince, type RecordedRun } from './recorded-run.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mutation-recorded-'));
  mkdirSync(join(root, 'edge/src'), { recursive: true });
  writeFileSync(join(root, 'edge/src/rule.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'edge/src/rule.test.ts'), 'test\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const recorded = (source: string, testSource: string): RecordedRun => ({
  files: { 'edge/src/rule.ts': { source, mutants: [] } },
  testFiles: { 'edge/src/rule.test.ts': { source: testSource } },
});

describe('what changed since the recorded mutation run', () => {
  it('is nothing when every recorded module and test file reads as recorded', () => {
    expect(changedSince(recorded('export const a = 1;\n', 'test\n'), root, ['edge/src/rule.ts'])).toEqual([]);
  });

  it('names a changed module, a changed or deleted test file, and a module new to the scope', () => {
    expect(changedSince(recorded('export const a = 2;\n', 'test\n'), root, [])).toEqual(['edge/src/rule.ts']);
    expect(changedSince(recorded('export const a = 1;\n', 'old\n'), root, [])).toEqual([
      'edge/src/rule.test.ts',
    ]);
    rmSync(join(root, 'edge/src/rule.test.ts'));
    expect(changedSince(recorded('export const a = 1;\n', 'test\n'), root, [])).toEqual([
      'edge/src/rule.test.ts',
    ]);
    expect(changedSince(recorded('export const a = 1;\n', ''), root, ['edge/src/new.ts'])).toContain(
      'edge/src/new.ts',
    );
  });

  it('cannot vouch for tests recorded without a file or a source', () => {
    const run: RecordedRun = { files: {}, testFiles: { '': {}, 'edge/src/rule.test.ts': {} } };
    expect(changedSince(run, root, [])).toEqual(['(tests without a file)', 'edge/src/rule.test.ts']);
  });
});

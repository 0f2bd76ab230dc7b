import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StrykerReport } from './score.js';

/**
 * Stryker's incremental file is a full mutation report that also keeps the source of every mutated
 * module and every test file it ran. Stryker's incremental mode re-tests a mutant only when one of
 * those sources changed; when none did, the recorded results are the answer and the run (a dry run
 * of the package's tests, minutes) can be skipped. See docs/mutation-testing.md, CI.
 */
export interface RecordedRun extends StrykerReport {
  files: Record<string, StrykerReport['files'][string] & { source: string }>;
  testFiles?: Record<string, { source?: string }>;
}

export function readRecordedRun(file: string): RecordedRun | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as RecordedRun;
}

/** The recorded modules and test files whose source on disk is not the recorded one (or is gone). */
export function changedSince(recorded: RecordedRun, root: string, inScope: readonly string[]): string[] {
  const changed: string[] = [];
  const differs = (path: string, source: string | undefined) => {
    const file = join(root, path);
    return source === undefined || !existsSync(file) || readFileSync(file, 'utf8') !== source;
  };
  for (const [path, file] of Object.entries(recorded.files))
    if (differs(path, file.source)) changed.push(path);
  for (const [path, file] of Object.entries(recorded.testFiles ?? {})) {
    // Test ids without a file (Stryker's fallback) cannot be compared: treat as changed.
    if (path === '' || differs(path, file.source)) changed.push(path || '(tests without a file)');
  }
  // A module added to the scope since the recorded run has no results yet.
  for (const path of inScope) if (!(path in recorded.files)) changed.push(path);
  return changed;
}

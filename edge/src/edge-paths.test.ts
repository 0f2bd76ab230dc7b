import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EDGE_DIR, packageDirOf } from './edge-paths.js';
import { tempDir } from './testing/sync-harness.js';

describe('packageDirOf', () => {
  const dirs: Array<{ cleanup: () => void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });

  it('finds the same package folder from the sources and from the compiled build', () => {
    const tmp = tempDir('edge-paths-');
    dirs.push(tmp);
    const pkg = join(tmp.dir, 'edge');
    mkdirSync(join(pkg, 'src', 'db'), { recursive: true });
    mkdirSync(join(pkg, 'dist', 'runtime', 'db'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}');
    expect(packageDirOf(pathToFileURL(join(pkg, 'src', 'db', 'database.ts')).href)).toBe(pkg);
    expect(packageDirOf(pathToFileURL(join(pkg, 'dist', 'runtime', 'db', 'database.js')).href)).toBe(pkg);
  });

  it('says so when no package.json is above the module', () => {
    expect(() => packageDirOf('file:///no-such-package/src/x.js')).toThrow(/no package\.json above/);
  });

  it('resolves the edge package in this checkout', () => {
    expect(EDGE_DIR.endsWith('edge')).toBe(true);
  });
});

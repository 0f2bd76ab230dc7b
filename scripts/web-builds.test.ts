import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WEB_DIST_DIR } from '../cloud/src/site/site.plugin.js';
import { KIOSK_RENDERER_DIR } from '../edge/src/app.js';
import { CONSOLE_DIST_DIR } from '../edge/src/console/console.plugin.js';
import { buildIfStale, builtHash, ROOT, sourceHash, WEB_APPS, type WebApp } from './web-builds.js';

describe('the web apps built before a test run', () => {
  it('land exactly where the cloud and the edge serve them from', () => {
    const served = [WEB_DIST_DIR, CONSOLE_DIST_DIR, KIOSK_RENDERER_DIR].map((dir) => relative(ROOT, dir));
    expect(WEB_APPS.map((app) => app.outDir)).toEqual(served);
  });

  it('are needed by their own package’s browser tests only', () => {
    const needing = (file: string) => WEB_APPS.filter((app) => app.neededBy(file)).map((app) => app.name);
    expect(needing('cloud/src/site/site.e2e.test.ts')).toEqual(['customer site and admin dashboard']);
    expect(needing('edge/src/console/console.e2e.test.ts')).toEqual(['staff console']);
    expect(needing('kiosk-app/src/renderer.e2e.test.ts')).toEqual(['kiosk renderer']);
    expect(needing('kiosk-app/src/packaging.test.ts')).toEqual(['kiosk renderer']);
    expect(needing('kiosk-app/src/kiosk-shell.test.ts')).toEqual([]);
    expect(needing('shared/src/config/env-schema.test.ts')).toEqual([]);
  });
});

describe('buildIfStale', () => {
  // Under cloud/node_modules so that the fixture's vite resolves to the cloud's.
  const root = mkdtempSync(join(ROOT, 'cloud', 'node_modules', '.web-builds-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const app: WebApp = {
    name: 'fixture app',
    packageDir: 'pkg',
    viteConfig: 'pkg/web/vite.config.mjs',
    outDir: 'pkg/web/dist',
    sources: ['pkg/web'],
    neededBy: () => true,
  };
  const write = (path: string, text: string) => {
    mkdirSync(resolve(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('pkg/package.json', '{ "name": "fixture", "private": true, "type": "module" }');
  write('pkg/web/index.html', '<!doctype html><script type="module" src="./main.js"></script>');
  write('pkg/web/main.js', 'document.title = "one";');
  write(
    'pkg/web/vite.config.mjs',
    `export default { root: ${JSON.stringify(join(root, 'pkg/web'))}, logLevel: 'silent', build: { outDir: 'dist' } };`,
  );

  it('builds once, then not again until a source (not a test or the build itself) changes', async () => {
    expect(await buildIfStale(app, root)).toBe('built');
    expect(builtHash(app, root)).toBe(sourceHash(app, root));
    expect(readFileSync(join(root, 'pkg/web/dist/index.html'), 'utf8')).toContain('<script');
    expect(await buildIfStale(app, root)).toBe('up to date');

    write('pkg/web/main.test.ts', 'it("is ignored", () => {});');
    expect(await buildIfStale(app, root)).toBe('up to date');

    write('pkg/web/main.js', 'document.title = "two";');
    expect(await buildIfStale(app, root)).toBe('built');
    expect(await buildIfStale(app, root)).toBe('up to date');
  }, 60_000);

  it('builds for production even from a test run (NODE_ENV=test)', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    write(
      'pkg/web/main.js',
      'document.title = process.env.NODE_ENV === "production" ? "for-production" : "for-development";',
    );
    expect(await buildIfStale(app, root)).toBe('built');
    const assets = join(root, 'pkg/web/dist/assets');
    const bundle = readdirSync(assets)
      .map((file) => readFileSync(join(assets, file), 'utf8'))
      .join('\n');
    expect(bundle).toContain('for-production');
    expect(bundle).not.toContain('for-development');
  }, 60_000);

  it('reports a failed build with vite’s output and keeps the last good one', async () => {
    const before = builtHash(app, root);
    write('pkg/web/main.js', 'document.title = ;');
    await expect(buildIfStale(app, root)).rejects.toThrow(/vite build of the fixture app failed/);
    expect(builtHash(app, root)).toBe(before);
    expect(readFileSync(join(root, 'pkg/web/dist/index.html'), 'utf8')).toContain('<script');
  }, 60_000);
});

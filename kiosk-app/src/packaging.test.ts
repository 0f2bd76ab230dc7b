import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const KIOSK = path.join(import.meta.dirname, '..');
const ROOT = path.join(KIOSK, '..');
const require = createRequire(path.join(KIOSK, 'package.json'));
const work = mkdtempSync(path.join(tmpdir(), 'kiosk-packaging-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the Electron shell', () => {
  it('compiles against Electron’s own types and loads in Node without starting (or downloading) Electron', async () => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.shell.json'], {
      cwd: KIOSK,
      stdio: 'pipe',
    });
    const main = path.join(KIOSK, 'dist', 'shell', 'main.js');
    expect(JSON.parse(readFileSync(path.join(KIOSK, 'package.json'), 'utf8')).main).toBe(
      'dist/shell/main.js',
    );
    await expect(import(pathToFileURL(main).href)).resolves.toBeDefined();
    const shell = await import(pathToFileURL(path.join(KIOSK, 'dist', 'shell', 'kiosk-shell.js')).href);
    expect(typeof shell.startKioskShell).toBe('function');
  }, 120_000);

  it('is never downloaded by an install: no build scripts for electron, and the skip flag where pnpm runs', () => {
    const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(rootPackage.pnpm.onlyBuiltDependencies).not.toContain('electron');
    expect(readFileSync(path.join(ROOT, 'pnpm-workspace.yaml'), 'utf8')).not.toMatch(/^\s*- electron\s*$/m);
    for (const file of ['.ci/run', 'scripts/ensure-install.mjs']) {
      expect(readFileSync(path.join(ROOT, file), 'utf8'), file).toMatch(
        /ELECTRON_SKIP_BINARY_DOWNLOAD[=:] ?'?1/,
      );
    }
  });
});

describe('the Linux kiosk package (electron-builder.json)', () => {
  it('is a valid configuration whose package carries the shell and the renderer build, nothing else', async () => {
    const { Arch, build, Platform } = await import('electron-builder');
    const config = JSON.parse(readFileSync(path.join(KIOSK, 'electron-builder.json'), 'utf8'));
    expect(config.linux.target.map((t: { target: string }) => t.target)).toEqual(['AppImage', 'deb']);
    // Electron itself cannot be downloaded here: a stand-in distribution and the unpacked target
    // give the same file list as the AppImage and the deb, without their tools.
    const electronDist = path.join(work, 'electron');
    mkdirSync(electronDist);
    writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\n');
    chmodSync(path.join(electronDist, 'electron'), 0o755);
    await build({
      projectDir: KIOSK,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      publish: 'never',
      config: {
        ...config,
        electronDist,
        directories: { ...config.directories, output: path.join(work, 'out') },
      },
    });
    const resources = path.join(work, 'out', 'linux-unpacked', 'resources');
    const asar = createRequire(createRequire(require.resolve('electron-builder')).resolve('app-builder-lib'))(
      '@electron/asar',
    ) as { listPackage(file: string): string[]; extractFile(file: string, name: string): Buffer };
    const files = asar.listPackage(path.join(resources, 'app.asar')).map((f) => f.replace(/^\//, ''));
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'dist/shell/main.js', 'dist/renderer/index.html']),
    );
    expect(files.some((f) => /^dist\/renderer\/assets\/.+\.js$/.test(f))).toBe(true);
    expect(files.filter((f) => /test|\.ts$|\.build-stamp|node_modules/.test(f))).toEqual([]);
    const packaged = JSON.parse(
      asar.extractFile(path.join(resources, 'app.asar'), 'package.json').toString(),
    );
    expect(packaged.main).toBe('dist/shell/main.js');
  }, 180_000);
});

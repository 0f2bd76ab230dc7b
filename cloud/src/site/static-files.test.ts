import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticFiles } from './static-files.js';

describe('static web files with SPA fallback', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clubos-web-'));
    await mkdir(join(dir, 'site'));
    await mkdir(join(dir, 'admin'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'site', 'index.html'), '<title>site</title>');
    await writeFile(join(dir, 'admin', 'index.html'), '<title>admin</title>');
    await writeFile(join(dir, 'assets', 'app-123.js'), 'console.log(1)');
    await writeFile(join(dir, '.build-stamp'), 'stamp');
    await writeFile(join(tmpdir(), 'clubos-secret.txt'), 'TOP-SECRET-CONTENT');
    app = Fastify();
    await app.register(staticFiles, { distDir: dir });
    app.get('/api/v1/known', async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
    await rm(join(tmpdir(), 'clubos-secret.txt'), { force: true });
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('serves the booking site at / and for any deep link', async () => {
    for (const url of ['/', '/account', '/confirmation/abc?x=1']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe('<title>site</title>');
      expect(res.headers['content-type']).toContain('text/html');
    }
  });

  it('serves the dashboard under /admin/', async () => {
    for (const url of ['/admin', '/admin/', '/admin/bays']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe('<title>admin</title>');
    }
  });

  it('serves hashed assets with a long cache and the right type', async () => {
    const res = await get('/assets/app-123.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('answers a conditional request with 304 and never serves dotfiles such as the build stamp', async () => {
    const first = await get('/assets/app-123.js');
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await app.inject({
      method: 'GET',
      url: '/assets/app-123.js',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect((await get('/.build-stamp')).body).not.toBe('stamp');
    expect((await get('/site/index.html')).headers['cache-control']).toBe('no-cache');
    expect((await get('/old-page.html')).body).toBe('<title>site</title>');
  });

  it('answers 404, not the page, for unknown API paths and missing assets', async () => {
    expect((await get('/api/v1/nope')).statusCode).toBe(404);
    expect((await get('/docs/nope')).statusCode).toBe(404);
    expect((await get('/assets/gone-999.js')).statusCode).toBe(404);
    expect((await get('/api/v1/known')).json()).toEqual({ ok: true });
  });

  it('never serves a file outside the build folder', async () => {
    for (const url of [
      '/..%2fclubos-secret.txt',
      '/%2e%2e/clubos-secret.txt',
      '/assets/..%2f..%2fclubos-secret.txt',
    ]) {
      const res = await get(url);
      expect(res.body, url).not.toContain('TOP-SECRET-CONTENT');
    }
  });
});

describe('static web files before the first build', () => {
  it('explains how to build instead of failing', async () => {
    const app = Fastify();
    await app.register(staticFiles, { distDir: join(tmpdir(), 'clubos-no-such-build') });
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('build:web');
    await app.close();
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCloud } from '../testing/fake-cloud.js';
import { seedFacility } from '../testing/seed-facility.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { buildTestEdge } from '../testing/test-edge.js';
import { consoleStatic } from './console-static.js';

describe('console static files', () => {
  let tmp: ReturnType<typeof tempDir>;
  let app: FastifyInstance;
  beforeEach(async () => {
    tmp = tempDir('console-static-');
    mkdirSync(join(tmp.dir, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(tmp.dir, 'dist', 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(tmp.dir, 'dist', 'assets', 'app-1.js'), 'console.log(1)');
    writeFileSync(join(tmp.dir, 'dist', '.build-stamp'), 'stamp');
    writeFileSync(join(tmp.dir, 'secret.txt'), 'nope');
    app = Fastify({ logger: false });
    await app.register(consoleStatic, { distDir: join(tmp.dir, 'dist') });
  });
  afterEach(async () => {
    await app.close();
    tmp.cleanup();
  });

  it('serves files, falls back to index.html for page paths, and 404s stale assets and escapes', async () => {
    const asset = await app.inject('/console/assets/app-1.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const path of ['/console/', '/console/doors', '/console/board/bay-1']) {
      const page = await app.inject(path);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>console</title>');
    }
    expect((await app.inject('/console')).statusCode).toBe(302);
    expect((await app.inject('/console/assets/missing.js')).statusCode).toBe(404);
    expect((await app.inject('/console/..%2fsecret.txt')).body).not.toContain('nope');
  });

  it('answers a conditional request with 304 and never serves dotfiles such as the build stamp', async () => {
    const etag = (await app.inject('/console/assets/app-1.js')).headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await app.inject({ url: '/console/assets/app-1.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect((await app.inject('/console/.build-stamp')).body).not.toBe('stamp');
    expect((await app.inject('/console/')).headers['cache-control']).toBe('no-cache');
  });

  it('says plainly when the console is not built', async () => {
    const empty = Fastify({ logger: false });
    await empty.register(consoleStatic, { distDir: join(tmp.dir, 'not-built') });
    const res = await empty.inject('/console/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('build:console');
    await empty.close();
  });
});

describe('console API on the edge', () => {
  let cloud: FakeCloud;
  let tmp: ReturnType<typeof tempDir>;
  let app: FastifyInstance;
  let staff: string;
  let bays: string[];
  let clock = 0;
  beforeEach(async () => {
    clock = Date.now();
    cloud = new FakeCloud();
    await cloud.listen();
    ({ bayIds: bays } = seedFacility(cloud, { bays: 2 }));
    tmp = tempDir('console-api-');
    app = await buildTestEdge(
      tmp.dir,
      { CLOUD_URL: cloud.url, EDGE_KEY: cloud.issueKey() },
      { facilityControl: { runTimers: false }, now: () => clock },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    expect(await eventually(() => app.edge.sync?.link.online === true, 20_000)).toBe(true);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'manager', password: 'correct horse' },
    });
    staff = login.json().token as string;
  }, 60_000);
  afterEach(async () => {
    await app.close();
    await cloud.close();
    tmp.cleanup();
  });

  it('shows a booking as next, then as now once it starts, and the sale in the audit log', async () => {
    const start = Math.ceil((clock + 60_000) / 60_000) * 60_000;
    const sold = await app.inject({
      method: 'POST',
      url: '/api/v1/walk-ins',
      headers: { authorization: `Bearer ${staff}` },
      payload: { simulator_id: bays[0], start_time: new Date(start).toISOString(), duration: 60 },
    });
    expect(sold.statusCode).toBe(201);
    const id = sold.json().booking.id as string;
    const bayOnBoard = async () => {
      const board = await app.inject({
        url: '/api/v1/console/board',
        headers: { authorization: `Bearer ${staff}` },
      });
      expect(board.statusCode).toBe(200);
      return board.json().bays.find((b: { simulator_id: string }) => b.simulator_id === bays[0]);
    };
    expect(await bayOnBoard()).toMatchObject({
      name: 'Bay 1',
      device_presence: 'unknown',
      now: null,
      next: { id },
    });
    clock = start + 5 * 60_000;
    expect(await bayOnBoard()).toMatchObject({ now: { id }, next: null });
    const audit = await app.inject({
      url: '/api/v1/console/audit',
      headers: { authorization: `Bearer ${staff}` },
    });
    expect(audit.json().entries[0]).toMatchObject({
      kind: 'walk_in.sold',
      subject: id,
      actor: 'staff:manager',
    });
    expect((await app.inject('/api/v1/console/board')).statusCode).toBe(401);
  });

  it('streams a change event when something the console shows changes, for staff tokens only', async () => {
    expect((await app.inject('/api/v1/console/events?token=nope')).statusCode).toBe(401);
    expect((await app.inject('/api/v1/console/events')).statusCode).toBe(400);

    const controller = new AbortController();
    const res = await fetch(`${app.listeningOrigin}/api/v1/console/events?token=${staff}`, {
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value);
      }
    };
    await until('event: ready');
    expect(text).not.toContain('event: change');
    await app.inject({
      method: 'POST',
      url: '/api/v1/walk-ins',
      headers: { authorization: `Bearer ${staff}` },
      payload: { simulator_id: bays[1], start_time: new Date(clock + 120_000).toISOString(), duration: 30 },
    });
    await until('event: change');
    controller.abort();
  });
});

import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { edgeApp } from '@clubos/edge/app';
import { loadConfig } from '@clubos/edge/config';
import { tempDir } from '@clubos/edge/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { RENDERER_PATH } from './navigation-guard.js';

let tmp: ReturnType<typeof tempDir>;
let edge: FastifyInstance;

async function edgeServing(dir: string) {
  tmp = tempDir('kiosk-served-');
  const config = loadConfig({ EDGE_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' });
  edge = Fastify({ logger: false });
  await edge.register(edgeApp, { config, facilityControl: { mqttPort: 0 }, kioskRendererDir: dir });
  await edge.ready();
  return edge;
}

afterEach(async () => {
  await edge?.close();
  tmp?.cleanup();
});

describe('the edge serves the kiosk renderer (same origin as its API, for Electron)', () => {
  it('serves the build at /kiosk/: the page never cached, hashed assets for good', async () => {
    const build = tempDir('kiosk-build-');
    try {
      mkdirSync(path.join(build.dir, 'assets'));
      writeFileSync(path.join(build.dir, 'index.html'), '<!doctype html><title>ClubOS Kiosk</title>');
      writeFileSync(path.join(build.dir, 'assets', 'index-abc123.js'), 'console.log(1)');
      writeFileSync(path.join(build.dir, '.build-stamp'), 'stamp');
      const app = await edgeServing(build.dir);
      const page = await app.inject({ url: `${RENDERER_PATH}?idle=60` });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body).toContain('ClubOS Kiosk');
      const asset = await app.inject({ url: '/kiosk/assets/index-abc123.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const bare = await app.inject({ url: '/kiosk' });
      expect([bare.statusCode, bare.headers.location]).toEqual([302, '/kiosk/']);
      expect((await app.inject({ url: '/kiosk/../config.json' })).statusCode).toBe(404);
      expect((await app.inject({ url: '/kiosk/.build-stamp' })).statusCode).toBe(404);
      // The API beside it answers without any CORS header: the renderer is same-origin.
      const health = await app.inject({ url: '/health', headers: { origin: 'null' } });
      expect(health.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      build.cleanup();
    }
  });

  it('says how to build the renderer when it is not built', async () => {
    const app = await edgeServing(path.join(tmpdir(), `clubos-kiosk-missing-${randomUUID()}`));
    const res = await app.inject({ url: RENDERER_PATH });
    expect(res.statusCode).toBe(503);
    expect(res.body).toMatch(/build:renderer/);
  });
});

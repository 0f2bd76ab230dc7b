import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './demo-http.js';

describe('the demo API client', () => {
  let server: Server;
  let baseUrl = '';
  let shedding = 0;
  let calls = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      calls++;
      if (shedding > 0) {
        shedding--;
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end('{"error":{"code":"OVERLOADED"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('waits as a shedding cloud asks (503 + Retry-After) and gets its answer', async () => {
    shedding = 2;
    calls = 0;
    const started = Date.now();
    expect(await api(baseUrl).json('/api/v1/auth/login', { body: {} })).toEqual({ ok: true });
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });
});

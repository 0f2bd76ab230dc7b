import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';
import { FaultInjector } from './fault-injector.js';
import { RequestRecorder } from './request-recorder.js';

describe('FaultInjector', () => {
  it('consumes queued failures one request at a time, in order', async () => {
    const app = Fastify();
    const faults = new FaultInjector();
    const recorder = new RequestRecorder();
    recorder.install(app, (url) => url.startsWith('/ctl'));
    faults.install(app, { skip: (url) => url.startsWith('/ctl'), errorBody: (status) => ({ status }) });
    app.get('/x', async () => ({ ok: true }));
    app.get('/ctl', async () => ({ ok: true }));
    faults.fail(502, { count: 2 });
    faults.rateLimit(4);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.inject('/x')).statusCode);
    expect(statuses).toEqual([502, 502, 429, 200]);
    faults.down('unavailable');
    expect((await app.inject('/x')).json()).toEqual({ status: 503 });
    expect((await app.inject('/ctl')).statusCode).toBe(200);
    expect(recorder.list({ path: '/x' }).map((r) => r.status)).toEqual([502, 502, 429, 200, 503]);
    expect(recorder.list({ path: '/ctl' })).toEqual([]);
    await app.close();
  });

  it('rejects nonsense fault specifications with a message naming the value', () => {
    const faults = new FaultInjector();
    expect(() => faults.fail(200)).toThrow('400-599');
    expect(() => faults.fail(500, { count: 0 })).toThrow('count');
    expect(() => faults.slow(-1)).toThrow('delayMs');
    faults.apply({ down: true, delay_ms: 5, fail: { status: 500, retry_after_seconds: 1 } });
    expect(faults.snapshot()).toEqual({
      down: 'close',
      delayMs: 5,
      queued: [{ status: 500, remaining: 1, retryAfterSeconds: 1 }],
    });
    faults.apply({ reset: true });
    expect(faults.snapshot()).toEqual({ down: null, delayMs: 0, queued: [] });
  });
});

describe('parseCliArgs', () => {
  it('reads port and host, and names a bad port or an unknown flag', () => {
    expect(parseCliArgs(['--port', '8080'], {}).common).toEqual({ port: 8080, host: '127.0.0.1' });
    expect(() => parseCliArgs(['--port', 'eighty'], {})).toThrow('--port');
    expect(() => parseCliArgs(['--prot', '1'], {})).toThrow();
  });
});

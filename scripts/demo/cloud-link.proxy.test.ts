import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudLink, startCloudLink } from './cloud-link.proxy.js';

/** A stand-in cloud: `/slow` answers only when told to, like a long-poll. */
let cloud: Server;
let cloudUrl: string;
const held: Array<() => void> = [];
let link: CloudLink;

/** One request on a fresh connection (no keep-alive pool hiding what the proxy does). */
function get(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  cloud = createServer((req, res) => {
    if (req.url === '/slow') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('waiting…');
      held.push(() => res.end('done'));
      return;
    }
    res.end(`hello ${req.url}`);
  });
  await new Promise<void>((resolve) => cloud.listen(0, '127.0.0.1', resolve));
  cloudUrl = `http://127.0.0.1:${(cloud.address() as AddressInfo).port}`;
  link = await startCloudLink({ target: cloudUrl });
});

afterAll(async () => {
  for (const release of held) release();
  await link.close();
  await new Promise<void>((resolve) => cloud.close(() => resolve()));
});

describe('the cloud link (the venue internet line between edge and cloud)', () => {
  it('passes requests through to the cloud while online', async () => {
    expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(link.offline).toBe(false);
    await expect(get(link.url, '/api/v1/health')).resolves.toEqual({
      status: 200,
      body: 'hello /api/v1/health',
    });
  });

  it('drops a request in flight when cut, refuses new ones, and passes again once restored', async () => {
    const inFlight = get(link.url, '/slow');
    await expect.poll(() => link.connections).toBe(1);

    link.setOffline(true);
    expect(link.offline).toBe(true);
    await expect(inFlight).rejects.toThrow(/ECONNRESET|socket hang up|aborted/);
    expect(link.connections).toBe(0);
    await expect(get(link.url, '/again')).rejects.toThrow(/ECONNRESET|socket hang up/);
    // The cloud itself is up all along: only the line is cut.
    await expect(get(cloudUrl, '/direct')).resolves.toMatchObject({ status: 200 });

    link.setOffline(false);
    await expect(get(link.url, '/back')).resolves.toEqual({ status: 200, body: 'hello /back' });
  });

  it('can start cut (npm start -- --offline)', async () => {
    const cut = await startCloudLink({ target: cloudUrl, offline: true });
    try {
      expect(cut.offline).toBe(true);
      await expect(get(cut.url, '/x')).rejects.toThrow(/ECONNRESET|socket hang up/);
      cut.setOffline(false);
      await expect(get(cut.url, '/x')).resolves.toMatchObject({ status: 200 });
    } finally {
      await cut.close();
    }
  });
});

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { describe, expect, it } from 'vitest';
import { helmetHeaders, securityHeadersPlugin } from './security-headers.plugin.js';

const options: HelmetOptions = {
  contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:', 'validator.swagger.io'] } },
};

/** What helmet itself puts on a real Node response, over real HTTP. */
async function headersFromHelmet(): Promise<Record<string, string>> {
  const middleware = helmet(options);
  const server = http.createServer((req, res) => {
    res.setHeader('X-Powered-By', 'test');
    middleware(req, res, () => res.end('ok'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name))
        headers[name] = value;
    });
    return headers;
  } finally {
    server.close();
  }
}

describe('security headers', () => {
  it('computes exactly the headers helmet sets on a real response, X-Powered-By removed', async () => {
    const computed = helmetHeaders(options);
    expect(computed).toEqual(await headersFromHelmet());
    expect(computed['content-security-policy']).toContain('img-src');
    expect(computed['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(computed).not.toHaveProperty('x-powered-by');
  });

  it('puts them on every response, and a route may still set its own', async () => {
    const app = Fastify();
    await app.register(securityHeadersPlugin, { helmet: options });
    app.get('/plain', async () => ({ ok: true }));
    app.get('/own-csp', async (_request, reply) => {
      reply.header('content-security-policy', "default-src 'none'");
      return { ok: true };
    });
    app.get('/fails', async () => {
      throw new Error('boom');
    });
    const expected = helmetHeaders(options);
    for (const url of ['/plain', '/fails', '/missing']) {
      const res = await app.inject({ method: 'GET', url });
      for (const [name, value] of Object.entries(expected))
        expect(res.headers[name], `${url} ${name}`).toBe(value);
    }
    const own = await app.inject({ method: 'GET', url: '/own-csp' });
    expect(own.headers['content-security-policy']).toBe("default-src 'none'");
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    await app.close();
  });
});

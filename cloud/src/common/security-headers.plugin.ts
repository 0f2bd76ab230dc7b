import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets for `options`, computed once. Helmet's middleware only sets and
 * removes fixed headers unless a CSP directive is a per-request function (nonces), which this
 * service does not use: so one run against a recording response gives them all.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  let done = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
    done = true;
  });
  if (failure !== undefined) throw failure;
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return headers;
}

/**
 * Security headers (helmet's, with `options`) on every response. `@fastify/helmet` builds
 * helmet's middleware anew for every request (parsing the CSP directives each time): ~30 µs of
 * CPU per request on the bench machine, 3 % of a booking. Here they are computed at start-up and
 * each request only copies them. A route that sets its own header (the docs page's CSP) still
 * overrides it later in its lifecycle.
 */
export const securityHeadersPlugin = fp<{ helmet: HelmetOptions }>(
  async (app, opts) => {
    const headers = helmetHeaders(opts.helmet);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers' },
);

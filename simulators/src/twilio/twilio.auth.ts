import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TwilioApiError, twilioError } from './twilio.errors.js';

export interface ApiKey {
  /** `SK` + 32 hex digits. */
  sid: string;
  secret: string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Who a request authenticates as: the Account SID with its Auth Token, or an API key with its secret. */
export function authenticate(
  header: string | undefined,
  credentials: { accountSid: string; authToken: () => string; apiKeys: Map<string, ApiKey> },
): 'account' | 'api_key' {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) throw twilioError(20003);
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw twilioError(20003);
  const user = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  if (user === credentials.accountSid && same(secret, credentials.authToken())) return 'account';
  const key = credentials.apiKeys.get(user);
  if (key && same(secret, key.secret)) return 'api_key';
  throw twilioError(20003);
}

/**
 * Basic auth on every REST call (401 20003 with `WWW-Authenticate`), the account in the path must be
 * ours (404 20404 otherwise), and Twilio's concurrency limit: past `maxConcurrent` requests in
 * flight the API answers 429 20429 without processing, which is safe to retry.
 */
export function installApiGuards(
  app: FastifyInstance,
  options: {
    isApi: (url: string) => boolean;
    accountSid: string;
    authToken: () => string;
    apiKeys: Map<string, ApiKey>;
    maxConcurrent: () => number;
  },
): void {
  let inFlight = 0;
  const counted = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request) => {
    if (!options.isApi(request.url)) return;
    if (inFlight >= options.maxConcurrent()) throw twilioError(20429);
    inFlight += 1;
    counted.add(request);
    authenticate(request.headers.authorization, options);
    const accountInPath = request.url.split('/')[3];
    if (accountInPath !== options.accountSid) {
      throw new TwilioApiError(
        404,
        20404,
        `The requested resource ${request.url.split('?')[0]} was not found`,
      );
    }
  });
  const release = async (request: FastifyRequest) => {
    if (counted.delete(request)) inFlight -= 1;
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
}

import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { FaultInjector } from '../http/fault-injector.js';
import { RequestRecorder } from '../http/request-recorder.js';
import { type MessagingServiceConfig, type PhoneNumberConfig, TwilioAccount } from './twilio.account.js';
import { ACCOUNTS_PREFIX, registerMessageRoutes } from './twilio.api.routes.js';
import { type ApiKey, installApiGuards } from './twilio.auth.js';
import { TwilioControl } from './twilio.control.js';
import { CONTROL_PREFIX, registerControlRoutes } from './twilio.control.routes.js';
import { faultBody, TwilioApiError, twilioErrorBody } from './twilio.errors.js';
import type { Timing } from './twilio.lifecycle.js';
import { type Outcome, parseOutcome } from './twilio.outcomes.js';
import { isE164 } from './twilio.phone.js';

/**
 * A stand-in for Twilio Programmable Messaging as the official `twilio` SDK uses it (see
 * Twilio's public API reference and README.md beside this file): the Messages resource, signed status
 * callbacks and inbound webhooks, opt-out keywords, per-number outcomes, faults.
 */
export interface TwilioSimulatorOptions {
  /** `AC` + 32 hex digits. */
  accountSid?: string;
  authToken?: string;
  apiKeys?: ApiKey[];
  /** Numbers the account owns (a From must be one). Default: Twilio's magic test sender +15005550006. */
  phoneNumbers?: PhoneNumberConfig[];
  messagingServices?: MessagingServiceConfig[];
  /** Outcomes by destination number, e.g. `{ '+14155550100': 'landline' }`. */
  outcomes?: Record<string, Outcome | string>;
  /** Default `instant`; `realistic` for the demo. */
  timing?: Timing;
  /** Requests in flight before 429 20429 (Twilio's default per account is 100). */
  maxConcurrentRequests?: number;
  /** How long a webhook receiver gets (Twilio: 15 s). */
  webhookTimeoutMs?: number;
  port?: number;
  host?: string;
  now?: () => number;
  logger?: FastifyBaseLogger | boolean;
}

export interface TwilioSimulator {
  /** Origin without a trailing slash: what `simulatorRequestClient` rewrites api.twilio.com to. */
  url: string;
  accountSid: string;
  authToken: string;
  control: TwilioControl;
  app: FastifyInstance;
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
export const DEFAULT_AUTH_TOKEN = 'simulator-auth-token';
export const DEFAULT_FROM = '+15005550006';

const isControl = (url: string) => url === CONTROL_PREFIX || url.startsWith(`${CONTROL_PREFIX}/`);
const isApi = (url: string) => url.startsWith(`${ACCOUNTS_PREFIX}/`);

type BuiltTwilio = Omit<TwilioSimulator, 'url' | 'close'> & { account: TwilioAccount };

export function buildTwilioApp(options: TwilioSimulatorOptions = {}): BuiltTwilio {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID;
  if (!/^AC[0-9a-f]{32}$/.test(accountSid)) throw new RangeError('accountSid: AC followed by 32 hex digits');
  const authToken = options.authToken ?? DEFAULT_AUTH_TOKEN;
  if (!authToken) throw new RangeError('authToken: a non-empty string');
  const now = options.now ?? Date.now;
  const account = new TwilioAccount(
    accountSid,
    authToken,
    options.timing ?? 'instant',
    now,
    options.webhookTimeoutMs,
  );
  for (const n of options.phoneNumbers ?? [{ number: DEFAULT_FROM }]) {
    if (!isE164(n.number)) throw new RangeError(`phoneNumbers: E.164 expected, got "${n.number}"`);
    account.addNumber(n);
  }
  for (const service of options.messagingServices ?? []) {
    if (!/^MG[0-9a-f]{32}$/.test(service.sid))
      throw new RangeError(`messagingServices: bad sid "${service.sid}"`);
    account.addService(service);
  }
  for (const [number, outcome] of Object.entries(options.outcomes ?? {})) {
    account.outcomes.set(number, parseOutcome(outcome));
  }
  const apiKeys = new Map((options.apiKeys ?? []).map((k) => [k.sid, k]));
  const limits = { maxConcurrentRequests: options.maxConcurrentRequests ?? 100 };

  const app = Fastify(
    typeof options.logger === 'object'
      ? { loggerInstance: options.logger }
      : { logger: options.logger ?? false },
  );
  const faults = new FaultInjector();
  const recorder = new RequestRecorder(now);
  recorder.install(app, isControl);
  faults.install(app, { skip: isControl, errorBody: faultBody });
  installApiGuards(app, {
    isApi,
    accountSid,
    authToken: () => account.authToken,
    apiKeys,
    maxConcurrent: () => limits.maxConcurrentRequests,
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof TwilioApiError)
      return reply.code(error.status).headers(error.headers).send(error.body());
    const message = (error as Error).message;
    if (isControl(request.url)) {
      const status =
        error instanceof RangeError ? 400 : ((error as { statusCode?: number }).statusCode ?? 500);
      return reply.code(status).send({ message });
    }
    if (error instanceof RangeError) return reply.code(400).send(twilioErrorBody(20001, message, 400));
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) return reply.code(status).send(faultBody(status));
    request.log.error({ err: error }, 'Twilio simulator: unexpected error');
    return reply.code(500).send(faultBody(500));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(twilioErrorBody(20404, `The requested resource ${request.url.split('?')[0]} was not found`, 404)),
  );

  registerMessageRoutes(app, account);
  const control = new TwilioControl(account, faults, recorder, limits);
  registerControlRoutes(app, control);
  return { app, accountSid, authToken, control, account };
}

export async function startTwilioSimulator(options: TwilioSimulatorOptions = {}): Promise<TwilioSimulator> {
  const { account, ...built } = buildTwilioApp(options);
  const host = options.host ?? '127.0.0.1';
  await built.app.listen({ port: options.port ?? 0, host });
  const address = built.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('Twilio simulator: no TCP address');
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    ...built,
    url: `http://${urlHost}:${address.port}`,
    close: async () => {
      // Messages still moving stop where they are; webhooks already sent are awaited.
      account.lifecycle.stop();
      await account.settled();
      account.webhooks.close();
      await built.app.close();
    },
  };
}

import Fastify, { type FastifyInstance } from 'fastify';
import { FaultInjector } from '../http/fault-injector.js';
import { type RecordedRequest, RequestRecorder } from '../http/request-recorder.js';
import type { UnifiContext } from './unifi.context.js';
import { type DropSpec, ResponseDropper } from './unifi.drops.js';
import { DEFAULT_DOORS, type SeedDoor, UnifiState } from './unifi.state.js';
import {
  type PinAttemptResult,
  UNIFI_SCOPES,
  UnifiApiError,
  type UnifiToken,
  type UnlockCall,
  type WebhookDelivery,
} from './unifi.types.js';
import { WebhookDispatcher } from './unifi.webhooks.js';
import { registerUnifiControlRoutes } from './unifi-control.routes.js';
import { registerDoorRoutes } from './unifi-doors.routes.js';
import { registerSystemRoutes } from './unifi-system.routes.js';
import { registerVisitorRoutes } from './unifi-visitors.routes.js';

export const UNIFI_BASE_PATH = '/api/v1/developer';
const CONTROL_PREFIX = '/__control';

export interface UnifiSimulatorOptions {
  port?: number;
  host?: string;
  /** A full-scope token named "clubos-edge". */
  token?: string;
  /** Extra tokens, e.g. one without `edit:space` to test 403. */
  tokens?: UnifiToken[];
  doors?: SeedDoor[];
  /** Length of generated and accepted PINs (the venue uses 6). */
  pinLength?: number;
  /** Clock in epoch ms; tests may pin it. */
  now?: () => number;
  /** Serve HTTPS like the real console (self-signed on port 12445). */
  https?: { key: string | Buffer; cert: string | Buffer };
  logger?: boolean;
}

export interface UnifiControl {
  unlocks(): UnlockCall[];
  requests(filter?: { method?: string; path?: string | RegExp }): RecordedRequest[];
  enterPin(doorId: string, pin: string, atSeconds?: number): PinAttemptResult;
  doorPosition(doorId: string, event: 'forced_open' | 'held_open' | 'close'): void;
  /** Expires one token, or every token when none is named. */
  expireToken(token?: string): void;
  webhookDeliveries(): WebhookDelivery[];
  flushWebhooks(): Promise<void>;
  faults: FaultInjector;
  /** Performs the next matching calls, then drops their answers (see `ResponseDropper`). */
  dropResponses(spec: DropSpec): void;
  /** `faults.reset()` and pending dropped answers cleared. */
  resetFaults(): void;
}

export interface UnifiSimulator {
  url: string;
  /** Base URL of the developer API (`url` + `/api/v1/developer`). */
  apiUrl: string;
  state: UnifiState;
  control: UnifiControl;
  app: FastifyInstance;
  close(): Promise<void>;
}

function errorEnvelope(status: number) {
  if (status === 429) return { code: 'CODE_SYSTEM_ERROR', msg: 'Too many requests.' };
  if (status >= 500) return { code: 'CODE_SYSTEM_ERROR', msg: 'An error occurred on the server end.' };
  return { code: 'CODE_PARAMS_INVALID', msg: 'The provided parameters are invalid.' };
}

export async function startUnifiSimulator(options: UnifiSimulatorOptions = {}): Promise<UnifiSimulator> {
  const now = options.now ?? Date.now;
  const webhooks = new WebhookDispatcher(now);
  const state = new UnifiState(options.doors ?? DEFAULT_DOORS, now, (event, data) =>
    webhooks.emit(event, data),
  );
  const tokens = new Map<string, UnifiToken>();
  if (options.token)
    tokens.set(options.token, { token: options.token, name: 'clubos-edge', scopes: [...UNIFI_SCOPES] });
  for (const token of options.tokens ?? []) tokens.set(token.token, { ...token });
  const ctx: UnifiContext = { state, webhooks, tokens, pinLength: options.pinLength ?? 6 };

  const faults = new FaultInjector();
  const dropper = new ResponseDropper();
  const recorder = new RequestRecorder(now);
  const isControl = (url: string) => url.startsWith(CONTROL_PREFIX);
  const control: UnifiControl = {
    unlocks: () => state.unlocks.map((u) => ({ ...u })),
    requests: (filter) => recorder.list(filter),
    enterPin: (doorId, pin, at) => state.enterPin(doorId, pin, at),
    doorPosition: (doorId, event) => state.doorPosition(doorId, event),
    expireToken: (token) => {
      for (const entry of tokens.values()) if (!token || entry.token === token) entry.expired = true;
    },
    webhookDeliveries: () => [...webhooks.deliveries],
    flushWebhooks: () => webhooks.flush(),
    faults,
    dropResponses: (spec) => dropper.add(spec),
    resetFaults: () => {
      faults.reset();
      dropper.reset();
    },
  };

  const app = Fastify({
    logger: options.logger ?? false,
    ...(options.https ? { https: options.https } : {}),
  });
  recorder.install(app, isControl);
  faults.install(app, { skip: isControl, errorBody: errorEnvelope });
  dropper.install(app, UNIFI_BASE_PATH);
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof UnifiApiError) {
      return reply.code(error.status).send({ code: error.code, msg: error.message, data: null });
    }
    // Fastify's own 4xx (malformed JSON, body too large...) keep the controller's envelope.
    const { statusCode: status, message } = error as { statusCode?: number; message?: string };
    if (status && status >= 400 && status < 500) {
      return reply
        .code(400)
        .send({ code: 'CODE_PARAMS_INVALID', msg: `body: ${message ?? 'invalid'}`, data: null });
    }
    return reply
      .code(500)
      .send({ code: 'CODE_SYSTEM_ERROR', msg: 'An error occurred on the server end.', data: null });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      code: 'CODE_RESOURCE_NOT_FOUND',
      msg: `No route ${request.method} ${request.url}`,
      data: null,
    }),
  );
  await app.register(
    async (api) => {
      registerDoorRoutes(api, ctx);
      registerVisitorRoutes(api, ctx);
      registerSystemRoutes(api, ctx);
    },
    { prefix: UNIFI_BASE_PATH },
  );
  registerUnifiControlRoutes(app, control);

  const url = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return {
    url,
    apiUrl: `${url}${UNIFI_BASE_PATH}`,
    state,
    control,
    app,
    close: async () => {
      await webhooks.flush();
      await app.close();
    },
  };
}

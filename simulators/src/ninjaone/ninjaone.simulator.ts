import Fastify, { type FastifyInstance } from 'fastify';
import { FaultInjector } from '../http/fault-injector.js';
import { acceptFormBodies } from '../http/form-body.js';
import { type RecordedRequest, RequestRecorder } from '../http/request-recorder.js';
import { type Grant, type OAuthClient, registerOAuthRoute, TokenStore } from './ninjaone.oauth.js';
import { registerNinjaRoutes } from './ninjaone.routes.js';
import { DEFAULT_DEVICES, DEFAULT_SCRIPTS, NinjaState, type SeedDevice } from './ninjaone.state.js';
import { NinjaApiError, type NinjaScript, type Reboot, type ScriptRun } from './ninjaone.types.js';
import { registerNinjaControlRoutes } from './ninjaone-control.routes.js';

const CONTROL_PREFIX = '/__control';

export interface NinjaSimulatorOptions {
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  /** Pre-issued refresh token (as if an administrator had consented once), with the `control` scope. */
  refreshToken?: string;
  /** Access-token lifetime; NinjaOne uses 3600 s. */
  tokenTtlSeconds?: number;
  /** Time a script run takes before its result lands in activities. */
  scriptDelayMs?: number;
  /** `''` serves `/v2/...`; `'/api'` serves `/api/v2/...` (both spellings exist in clients). */
  apiPrefix?: string;
  devices?: SeedDevice[];
  scripts?: NinjaScript[];
  now?: () => number;
  logger?: boolean;
}

export interface NinjaControl {
  runs(): ScriptRun[];
  reboots(): Reboot[];
  requests(filter?: { method?: string; path?: string | RegExp }): RecordedRequest[];
  tokensIssued(): Array<{ grant: Grant; clientId: string; at: number }>;
  setDeviceOnline(deviceId: number, online: boolean): void;
  setScriptOutcome(scriptName: string, result: 'SUCCESS' | 'FAILURE', message?: string): void;
  setScriptDelay(ms: number): void;
  expireTokens(): void;
  issueRefreshToken(clientId?: string): string;
  /** Resolves when every accepted script run has completed. */
  settle(): Promise<void>;
  faults: FaultInjector;
}

export interface NinjaSimulator {
  url: string;
  /** Base for `/v2/...` calls (`url` + apiPrefix). */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  state: NinjaState;
  control: NinjaControl;
  app: FastifyInstance;
  close(): Promise<void>;
}

function errorBody(status: number) {
  const code = status === 429 ? 'TOO_MANY_REQUESTS' : status >= 500 ? 'SERVICE_UNAVAILABLE' : 'BAD_REQUEST';
  return new NinjaApiError(status, code, `Simulated ${status}`).body();
}

export async function startNinjaSimulator(options: NinjaSimulatorOptions = {}): Promise<NinjaSimulator> {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? 'ninja-client';
  const clientSecret = options.clientSecret ?? 'ninja-secret';
  const clients: OAuthClient[] = [{ clientId, clientSecret }];
  const tokens = new TokenStore(clients, options.tokenTtlSeconds ?? 3600, now);
  const refreshToken = tokens.issueRefreshToken(clientId, undefined, options.refreshToken);
  const state = new NinjaState(
    options.devices ?? DEFAULT_DEVICES,
    options.scripts ?? DEFAULT_SCRIPTS,
    options.scriptDelayMs ?? 200,
    now,
  );
  const apiPrefix = options.apiPrefix ?? '';
  if (apiPrefix && !/^\/[\w-]+$/.test(apiPrefix))
    throw new Error(`apiPrefix must look like "/api", got "${apiPrefix}"`);

  const faults = new FaultInjector();
  const recorder = new RequestRecorder(now);
  const isControl = (url: string) => url.startsWith(CONTROL_PREFIX);
  const control: NinjaControl = {
    runs: () => state.runs.map((r) => ({ ...r })),
    reboots: () => [...state.reboots],
    requests: (filter) => recorder.list(filter),
    tokensIssued: () => [...tokens.issued],
    setDeviceOnline: (id, online) => state.setOnline(id, online),
    setScriptOutcome: (name, result, message) => state.outcomes.set(name, { result, message }),
    setScriptDelay: (ms) => {
      state.scriptDelayMs = ms;
    },
    expireTokens: () => tokens.expireAll(),
    issueRefreshToken: (id) => tokens.issueRefreshToken(id ?? clientId),
    settle: () => state.settle(),
    faults,
  };

  const app = Fastify({ logger: options.logger ?? false });
  acceptFormBodies(app);
  recorder.install(app, isControl);
  faults.install(app, { skip: isControl, errorBody });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof NinjaApiError) return reply.code(error.status).send(error.body());
    const { statusCode, message } = error as { statusCode?: number; message?: string };
    if (statusCode && statusCode >= 400 && statusCode < 500) {
      return reply
        .code(400)
        .send(new NinjaApiError(400, 'BAD_REQUEST', `body: ${message ?? 'invalid'}`).body());
    }
    return reply.code(500).send(new NinjaApiError(500, 'INTERNAL_ERROR', 'Internal error').body());
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(new NinjaApiError(404, 'NOT_FOUND', `No route ${request.method} ${request.url}`).body()),
  );
  registerOAuthRoute(app, tokens);
  await app.register(async (api) => registerNinjaRoutes(api, state, tokens), { prefix: apiPrefix });
  registerNinjaControlRoutes(app, control);
  app.addHook('onClose', async () => state.stop());

  const url = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return {
    url,
    apiUrl: `${url}${apiPrefix}`,
    clientId,
    clientSecret,
    refreshToken,
    state,
    control,
    app,
    close: () => app.close(),
  };
}

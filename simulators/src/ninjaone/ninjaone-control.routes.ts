import type { FastifyInstance } from 'fastify';
import type { FaultSpec } from '../http/fault-injector.js';
import type { NinjaControl } from './ninjaone.simulator.js';
import { badRequest } from './ninjaone.types.js';

/** Test-only API under `/__control`: the same operations as the in-process `control` object. */
export function registerNinjaControlRoutes(app: FastifyInstance, control: NinjaControl): void {
  app.get('/__control/runs', async () => ({ runs: control.runs() }));
  app.get('/__control/reboots', async () => ({ reboots: control.reboots() }));
  app.get('/__control/requests', async () => ({ requests: control.requests() }));
  app.get('/__control/tokens', async () => ({ issued: control.tokensIssued() }));

  app.post<{ Params: { id: string }; Body: { online?: unknown } }>(
    '/__control/devices/:id/online',
    async (request) => {
      const online = request.body?.online;
      if (typeof online !== 'boolean') throw badRequest('online: required boolean');
      control.setDeviceOnline(Number(request.params.id), online);
      return { ok: true };
    },
  );

  app.post<{ Body: { script?: unknown; result?: unknown; message?: unknown } }>(
    '/__control/script-outcome',
    async (request) => {
      const { script, result, message } = request.body ?? {};
      if (typeof script !== 'string') throw badRequest('script: required script name');
      if (result !== 'SUCCESS' && result !== 'FAILURE') throw badRequest('result: SUCCESS or FAILURE');
      control.setScriptOutcome(script, result, typeof message === 'string' ? message : undefined);
      return { ok: true };
    },
  );

  app.post<{ Body: { delay_ms?: unknown } }>('/__control/script-delay', async (request) => {
    const delay = request.body?.delay_ms;
    if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0)
      throw badRequest('delay_ms: non-negative integer');
    control.setScriptDelay(delay);
    return { ok: true };
  });

  app.post('/__control/tokens/expire', async () => {
    control.expireTokens();
    return { ok: true };
  });

  app.post<{ Body: { client_id?: unknown } }>('/__control/refresh-tokens', async (request) => {
    const clientId = request.body?.client_id;
    return { refresh_token: control.issueRefreshToken(typeof clientId === 'string' ? clientId : undefined) };
  });

  app.get('/__control/faults', async () => control.faults.snapshot());

  app.post<{ Body: FaultSpec }>('/__control/faults', async (request) => {
    try {
      control.faults.apply(request.body ?? {});
    } catch (error) {
      throw badRequest(error instanceof Error ? error.message : String(error));
    }
    return control.faults.snapshot();
  });
}

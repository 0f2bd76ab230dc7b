import type { FastifyInstance } from 'fastify';
import { authorize, envelope, type UnifiContext } from './unifi.context.js';
import { BUILDING_GROUP_ID, invalid } from './unifi.state.js';
import type { LockRuleType } from './unifi.types.js';

const LOCK_RULE_TYPES: LockRuleType[] = [
  'keep_lock',
  'keep_unlock',
  'custom',
  'reset',
  'lock_early',
  'lock_now',
];

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('body: must be a JSON object');
  return body as Record<string, unknown>;
}

function optionalBool(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalid(`${name}: must be a boolean`);
  return value;
}

export function registerDoorRoutes(app: FastifyInstance, ctx: UnifiContext): void {
  const { state } = ctx;

  app.get('/doors', async (request) => {
    authorize(ctx, request, 'view:space');
    return envelope([...state.doors.values()]);
  });

  app.get<{ Params: { id: string } }>('/doors/:id', async (request) => {
    authorize(ctx, request, 'view:space');
    return envelope(state.door(request.params.id));
  });

  app.put<{ Params: { id: string } }>('/doors/:id/unlock', async (request) => {
    const token = authorize(ctx, request, 'edit:space');
    const body = objectBody(request.body);
    const actorId = body.actor_id;
    const actorName = body.actor_name;
    if ((actorId === undefined) !== (actorName === undefined)) {
      throw invalid('actor_id and actor_name: give both or neither');
    }
    if (
      actorId !== undefined &&
      (typeof actorId !== 'string' || typeof actorName !== 'string' || !actorName)
    ) {
      throw invalid('actor_id and actor_name: must be non-empty strings');
    }
    if (
      body.extra !== undefined &&
      (typeof body.extra !== 'object' || body.extra === null || Array.isArray(body.extra))
    ) {
      throw invalid('extra: must be an object');
    }
    const actor =
      actorId === undefined
        ? { id: null, name: token.name }
        : { id: String(actorId), name: String(actorName) };
    state.unlock(request.params.id, actor, token.name, body.extra);
    return envelope('success');
  });

  app.get<{ Params: { id: string } }>('/doors/:id/lock_rule', async (request) => {
    authorize(ctx, request, 'view:space');
    return envelope(state.lockRule(request.params.id));
  });

  app.put<{ Params: { id: string } }>('/doors/:id/lock_rule', async (request) => {
    authorize(ctx, request, 'edit:space');
    const body = objectBody(request.body);
    const type = body.type;
    if (typeof type !== 'string' || !LOCK_RULE_TYPES.includes(type as LockRuleType)) {
      throw invalid(`type: must be one of ${LOCK_RULE_TYPES.join(', ')}`);
    }
    const interval = body.interval;
    if (interval !== undefined && (typeof interval !== 'number' || !Number.isInteger(interval))) {
      throw invalid('interval: must be an integer number of minutes');
    }
    state.setLockRule(request.params.id, type as LockRuleType, interval as number | undefined);
    return envelope('success');
  });

  app.get('/doors/settings/emergency', async (request) => {
    authorize(ctx, request, 'view:space');
    return envelope({ ...state.emergency });
  });

  app.put('/doors/settings/emergency', async (request) => {
    authorize(ctx, request, 'edit:space');
    const body = objectBody(request.body);
    state.setEmergency({
      lockdown: optionalBool(body, 'lockdown'),
      evacuation: optionalBool(body, 'evacuation'),
    });
    return envelope('success');
  });

  const building = () => ({
    id: BUILDING_GROUP_ID,
    name: 'All Doors',
    type: 'building',
    resources: [...state.doors.values()].map((d) => ({ id: d.id, name: d.name, type: 'door' })),
  });

  // Only custom ("access") groups are listed; the building group comes from the topology.
  app.get('/door_groups', async (request) => {
    authorize(ctx, request, 'view:space');
    return envelope([]);
  });

  app.get('/door_groups/topology', async (request) => {
    authorize(ctx, request, 'view:space');
    return envelope([building()]);
  });
}

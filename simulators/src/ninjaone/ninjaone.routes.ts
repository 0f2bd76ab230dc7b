import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TokenStore } from './ninjaone.oauth.js';
import type { NinjaState } from './ninjaone.state.js';
import { badRequest, type NinjaDevice } from './ninjaone.types.js';

type Query = Record<string, unknown>;

function intParam(raw: unknown, name: string, bounds: { min?: number; max?: number } = {}): number {
  const value = Number(raw);
  if (raw === undefined || raw === '' || !Number.isInteger(value))
    throw badRequest(`${name}: must be an integer, got "${String(raw)}"`);
  if (bounds.min !== undefined && value < bounds.min) throw badRequest(`${name}: must be >= ${bounds.min}`);
  if (bounds.max !== undefined && value > bounds.max) throw badRequest(`${name}: must be <= ${bounds.max}`);
  return value;
}

function optionalInt(
  query: Query,
  name: string,
  bounds: { min?: number; max?: number } = {},
): number | undefined {
  return query[name] === undefined ? undefined : intParam(query[name], name, bounds);
}

/** A subset of NinjaOne's device filter (`df`): online, offline, class = X / class in (X,Y), org = N, id = N. */
function deviceFilter(df: string): (d: NinjaDevice) => boolean {
  const tests = df
    .split(/\s+AND\s+/i)
    .map((clause) => clause.trim())
    .filter(Boolean)
    .map((clause): ((d: NinjaDevice) => boolean) => {
      if (/^online$/i.test(clause)) return (d) => !d.offline;
      if (/^offline$/i.test(clause)) return (d) => d.offline;
      const cls = /^class\s*(?:=|in)\s*\(?([\w,\s]+)\)?$/i.exec(clause);
      if (cls?.[1]) {
        const classes = cls[1].split(',').map((c) => c.trim().toUpperCase());
        return (d) => classes.includes(d.nodeClass);
      }
      const num = /^(org|id)\s*=\s*(\d+)$/i.exec(clause);
      if (num?.[1] && num[2]) {
        const value = Number(num[2]);
        return num[1].toLowerCase() === 'org' ? (d) => d.organizationId === value : (d) => d.id === value;
      }
      throw badRequest(`df: unsupported filter clause "${clause}"`);
    });
  return (d) => tests.every((t) => t(d));
}

function deviceDetail(state: NinjaState, d: NinjaDevice) {
  return {
    ...d,
    approvalStatus: 'APPROVED',
    policyId: 1,
    nodeRoleId: 1,
    dnsName: d.systemName.toLowerCase(),
    netbiosName: d.systemName,
    lastUpdate: d.lastContact,
    userData: {},
    tags: [],
    fields: {},
    os: {
      manufacturer: 'Microsoft Corporation',
      name: 'Windows 11 Pro',
      architecture: '64-bit',
      buildNumber: '22631',
      needsReboot: false,
      deviceId: d.id,
      timestamp: state.nowSeconds(),
    },
    system: {
      name: d.systemName,
      manufacturer: 'Simulated',
      model: 'Bay PC',
      virtualMachine: false,
      deviceId: d.id,
      timestamp: state.nowSeconds(),
    },
  };
}

export function registerNinjaRoutes(app: FastifyInstance, state: NinjaState, tokens: TokenStore): void {
  const auth = (request: FastifyRequest, scope: 'monitoring' | 'control') =>
    tokens.verify(request.headers.authorization, scope);
  const deviceId = (request: FastifyRequest) => intParam((request.params as { id: string }).id, 'id');

  app.get<{ Querystring: Query }>('/v2/devices', async (request) => {
    auth(request, 'monitoring');
    const pageSize = optionalInt(request.query, 'pageSize', { min: 1 });
    const after = optionalInt(request.query, 'after', { min: 0 });
    const df = typeof request.query.df === 'string' ? request.query.df : '';
    const matches = [...state.devices.keys()]
      .sort((a, b) => a - b)
      .map((id) => state.device(id))
      .filter(deviceFilter(df))
      .filter((d) => after === undefined || d.id > after);
    return (pageSize === undefined ? matches : matches.slice(0, pageSize)).map((d) => ({
      ...d,
      approvalStatus: 'APPROVED',
    }));
  });

  app.get('/v2/device/:id', async (request) => {
    auth(request, 'monitoring');
    return deviceDetail(state, state.device(deviceId(request)));
  });

  app.get('/v2/device/:id/scripting/options', async (request) => {
    auth(request, 'monitoring');
    state.device(deviceId(request));
    return {
      categories: [{ id: 1, name: 'Venue automation', internal: false }],
      scripts: state.scripts,
      credentials: { roles: ['system', 'loggedonuser'], credentials: [] },
    };
  });

  app.post('/v2/device/:id/script/run', async (request, reply) => {
    const token = auth(request, 'control');
    const id = deviceId(request);
    state.device(id);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.type !== 'SCRIPT' && body.type !== 'ACTION') throw badRequest('type: must be SCRIPT or ACTION');
    if (body.type === 'SCRIPT' && (typeof body.id !== 'number' || !Number.isInteger(body.id))) {
      throw badRequest('id: required integer script identifier for type SCRIPT');
    }
    if (body.type === 'ACTION' && typeof body.uid !== 'string')
      throw badRequest('uid: required for type ACTION');
    if (body.parameters !== undefined && typeof body.parameters !== 'string')
      throw badRequest('parameters: must be a string');
    if (body.runAs !== undefined && typeof body.runAs !== 'string')
      throw badRequest('runAs: must be a string');
    state.run(id, {
      type: body.type,
      scriptId: body.type === 'SCRIPT' ? (body.id as number) : null,
      uid: body.type === 'ACTION' ? (body.uid as string) : null,
      parameters: (body.parameters as string | undefined) ?? null,
      runAs: (body.runAs as string | undefined) ?? null,
      grant: token.grant,
    });
    return reply.code(204).send();
  });

  app.get<{ Querystring: Query }>('/v2/device/:id/activities', async (request) => {
    auth(request, 'monitoring');
    const id = deviceId(request);
    state.device(id);
    const pageSize = optionalInt(request.query, 'pageSize', { min: 10, max: 1000 }) ?? 200;
    const olderThan = optionalInt(request.query, 'olderThan');
    const newerThan = optionalInt(request.query, 'newerThan');
    // The OpenAPI names the filter `activityType`; some clients send `type`.
    const type = request.query.activityType ?? request.query.type;
    const status = request.query.status;
    const activities = state.activities
      .filter((a) => a.deviceId === id)
      .filter((a) => type === undefined || a.activityType === type)
      .filter((a) => status === undefined || String(status).split(',').includes(a.statusCode))
      .filter((a) => olderThan === undefined || a.id < olderThan)
      .filter((a) => newerThan === undefined || a.id > newerThan)
      .reverse()
      .slice(0, pageSize);
    const lastNode = state.activities.filter((a) => a.deviceId === id).at(-1)?.id ?? 0;
    return { lastActivityId: state.activities.at(-1)?.id ?? 0, lastNodeActivityId: lastNode, activities };
  });

  app.get('/v2/device/:id/alerts', async (request) => {
    auth(request, 'monitoring');
    return state.deviceAlerts(deviceId(request));
  });

  app.post<{ Params: { id: string; mode: string } }>(
    '/v2/device/:id/reboot/:mode',
    async (request, reply) => {
      auth(request, 'control');
      const id = deviceId(request);
      state.device(id);
      const mode = request.params.mode;
      if (mode !== 'NORMAL' && mode !== 'FORCED') throw badRequest('mode: must be NORMAL or FORCED');
      const reason = (request.body as { reason?: unknown } | undefined)?.reason;
      if (reason !== undefined && typeof reason !== 'string') throw badRequest('reason: must be a string');
      state.reboots.push({ deviceId: id, mode, reason: reason ?? null, at: state.now() });
      return reply.code(204).send();
    },
  );
}

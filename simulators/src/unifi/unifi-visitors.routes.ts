import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { authorize, envelope, paging, type UnifiContext } from './unifi.context.js';
import { BUILDING_GROUP_ID, invalid, pinToken, type UnifiState } from './unifi.state.js';
import { type StoredVisitor, VISIT_REASONS, VISITOR_STATUSES, type VisitorResource } from './unifi.types.js';

type Body = Record<string, unknown>;

const TEXT_FIELDS = [
  'first_name',
  'last_name',
  'remarks',
  'mobile_phone',
  'email',
  'visitor_company',
] as const;

function asBody(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('body: must be a JSON object');
  return body as Body;
}

function resolveResources(state: UnifiState, raw: unknown): VisitorResource[] {
  if (!Array.isArray(raw)) throw invalid('resources: must be an array of {id, type}');
  return raw.map((item: unknown, i) => {
    const r = (item ?? {}) as Body;
    if (typeof r.id !== 'string' || !r.id) throw invalid(`resources[${i}].id: required`);
    if (r.type === 'door') {
      const door = state.doors.get(r.id);
      if (!door) throw invalid(`resources[${i}].id: no door ${r.id}`);
      return { id: door.id, type: 'door', name: door.name };
    }
    if (r.type === 'door_group') {
      if (r.id !== BUILDING_GROUP_ID) throw invalid(`resources[${i}].id: no door group ${r.id}`);
      return { id: r.id, type: 'door_group', name: 'All Doors' };
    }
    throw invalid(`resources[${i}].type: must be door or door_group`);
  });
}

/** Validates and applies fields onto `target`; `required` lists what a create must carry. */
function applyVisitorFields(state: UnifiState, target: StoredVisitor, body: Body, required: boolean): void {
  for (const name of TEXT_FIELDS) {
    const value = body[name];
    if (value === undefined) {
      if (required && (name === 'first_name' || name === 'last_name')) throw invalid(`${name}: required`);
      continue;
    }
    if (typeof value !== 'string') throw invalid(`${name}: must be a string`);
    if ((name === 'first_name' || name === 'last_name') && !value.trim())
      throw invalid(`${name}: must not be empty`);
    target[name] = value;
  }
  for (const name of ['start_time', 'end_time'] as const) {
    const value = body[name];
    if (value === undefined) {
      if (required) throw invalid(`${name}: required (Unix seconds)`);
      continue;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw invalid(`${name}: must be Unix seconds (a non-negative integer)`);
    }
    target[name] = value;
  }
  if (target.end_time <= target.start_time) throw invalid('end_time: must be after start_time');
  if (body.visit_reason !== undefined || required) {
    if (!VISIT_REASONS.includes(body.visit_reason as (typeof VISIT_REASONS)[number])) {
      throw invalid(`visit_reason: must be one of ${VISIT_REASONS.join(', ')}`);
    }
    target.visit_reason = body.visit_reason as string;
  }
  if (body.resources !== undefined) target.resources = resolveResources(state, body.resources);
  if (body.week_schedule !== undefined) target.week_schedule = body.week_schedule;
}

export function visitorView(state: UnifiState, v: StoredVisitor) {
  return {
    id: v.id,
    first_name: v.first_name,
    last_name: v.last_name,
    remarks: v.remarks,
    mobile_phone: v.mobile_phone,
    email: v.email,
    visitor_company: v.visitor_company,
    visit_reason: v.visit_reason,
    start_time: v.start_time,
    end_time: v.end_time,
    status: state.visitorStatus(v),
    inviter_id: '',
    inviter_name: '',
    resources: v.resources,
    nfc_cards: [],
    pin_code: v.pin_code ? { token: pinToken(v.pin_code) } : null,
    schedule: v.week_schedule ? { name: `visitor-${v.id}`, type: 'access', weekly: v.week_schedule } : null,
  };
}

function statusFilter(raw: unknown): string | null {
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  // The API documents integer codes (UPCOMING=1 ... ACTIVE=6); names are accepted too.
  if (Number.isInteger(n) && n >= 1 && n <= VISITOR_STATUSES.length) return VISITOR_STATUSES[n - 1] ?? null;
  const name = String(raw).toUpperCase();
  if ((VISITOR_STATUSES as readonly string[]).includes(name)) return name;
  throw invalid(`status: must be 1-6 or one of ${VISITOR_STATUSES.join(', ')}`);
}

export function registerVisitorRoutes(app: FastifyInstance, ctx: UnifiContext): void {
  const { state } = ctx;

  app.post('/visitors', async (request) => {
    authorize(ctx, request, 'edit:visitor');
    const body = asBody(request.body);
    const visitor: StoredVisitor = {
      id: randomUUID(),
      first_name: '',
      last_name: '',
      remarks: '',
      mobile_phone: '',
      email: '',
      visitor_company: '',
      visit_reason: 'Others',
      start_time: 0,
      end_time: 0,
      resources: [],
      week_schedule: null,
      pin_code: null,
      cancelled: false,
      admitted: false,
    };
    applyVisitorFields(state, visitor, body, true);
    state.visitors.set(visitor.id, visitor);
    return envelope(visitorView(state, visitor));
  });

  app.get<{ Querystring: Record<string, unknown> }>('/visitors', async (request) => {
    authorize(ctx, request, 'view:visitor');
    const { pageNum, pageSize } = paging(request.query);
    const keyword = typeof request.query.keyword === 'string' ? request.query.keyword.toLowerCase() : '';
    // As documented: status filtering is disabled when searching with a keyword.
    const status = keyword ? null : statusFilter(request.query.status);
    const all = [...state.visitors.values()]
      .filter(
        (v) =>
          !keyword ||
          v.first_name.toLowerCase().startsWith(keyword) ||
          v.last_name.toLowerCase().startsWith(keyword),
      )
      .filter((v) => !status || state.visitorStatus(v) === status);
    const page = all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((v) => visitorView(state, v));
    return envelope(page, { page_num: pageNum, page_size: pageSize, total: all.length });
  });

  app.get<{ Params: { id: string } }>('/visitors/:id', async (request) => {
    authorize(ctx, request, 'view:visitor');
    return envelope(visitorView(state, state.visitor(request.params.id)));
  });

  app.put<{ Params: { id: string } }>('/visitors/:id', async (request) => {
    authorize(ctx, request, 'edit:visitor');
    const current = state.visitor(request.params.id);
    // Validate on a copy so a bad field leaves the stored visitor untouched.
    const next = { ...current, resources: [...current.resources] };
    applyVisitorFields(state, next, asBody(request.body), false);
    state.visitors.set(next.id, next);
    return envelope(visitorView(state, next));
  });

  app.delete<{ Params: { id: string }; Querystring: { is_force?: string } }>(
    '/visitors/:id',
    async (request) => {
      authorize(ctx, request, 'edit:visitor');
      const visitor = state.visitor(request.params.id);
      if (request.query.is_force === 'true') state.visitors.delete(visitor.id);
      else visitor.cancelled = true;
      return envelope(null);
    },
  );

  app.put<{ Params: { id: string } }>('/visitors/:id/pin_codes', async (request) => {
    authorize(ctx, request, 'edit:visitor');
    const body = asBody(request.body);
    if (typeof body.pin_code !== 'string') throw invalid('pin_code: required (a string of digits)');
    state.assignPin(request.params.id, body.pin_code, ctx.pinLength);
    return envelope('success');
  });

  app.delete<{ Params: { id: string } }>('/visitors/:id/pin_codes', async (request) => {
    authorize(ctx, request, 'edit:visitor');
    state.visitor(request.params.id).pin_code = null;
    return envelope('success');
  });

  app.post('/credentials/pin_codes', async (request) => {
    authorize(ctx, request, 'edit:credential');
    return envelope(state.generatePin(ctx.pinLength));
  });
}

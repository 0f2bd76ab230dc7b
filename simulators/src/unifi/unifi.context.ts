import type { FastifyRequest } from 'fastify';
import type { UnifiState } from './unifi.state.js';
import { UnifiApiError, type UnifiScope, type UnifiToken } from './unifi.types.js';
import type { WebhookDispatcher } from './unifi.webhooks.js';

/** What the route modules share: the controller state and the token check. */
export interface UnifiContext {
  state: UnifiState;
  webhooks: WebhookDispatcher;
  tokens: Map<string, UnifiToken>;
  pinLength: number;
}

export function envelope(data: unknown, pagination?: { page_num: number; page_size: number; total: number }) {
  return pagination
    ? { code: 'SUCCESS', msg: 'success', data, pagination }
    : { code: 'SUCCESS', msg: 'success', data };
}

/** 401 for a missing/unknown/expired token, 403 when the token lacks the operation's scope. */
export function authorize(ctx: UnifiContext, request: FastifyRequest, scope: UnifiScope): UnifiToken {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match?.[1])
    throw new UnifiApiError(401, 'CODE_AUTH_FAILED', 'Authentication failed: no Bearer token.');
  const token = ctx.tokens.get(match[1].trim());
  if (!token) throw new UnifiApiError(401, 'CODE_AUTH_FAILED', 'Authentication failed.');
  if (token.expired)
    throw new UnifiApiError(401, 'CODE_ACCESS_TOKEN_INVALID', 'The provided access token is invalid.');
  if (!token.scopes.includes(scope)) {
    throw new UnifiApiError(
      403,
      'CODE_UNAUTHORIZED',
      `You are not allowed to perform this action (needs ${scope}).`,
    );
  }
  return token;
}

/** page_num/page_size query parameters: positive integers, defaults 1 and 25. */
export function paging(query: Record<string, unknown>): { pageNum: number; pageSize: number } {
  const read = (name: string, fallback: number) => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      throw new UnifiApiError(
        400,
        'CODE_PARAMS_INVALID',
        `${name}: must be a positive integer, got "${String(raw)}"`,
      );
    }
    return value;
  };
  return { pageNum: read('page_num', 1), pageSize: read('page_size', 25) };
}

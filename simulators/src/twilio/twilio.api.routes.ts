import type { FastifyInstance } from 'fastify';
import type { TwilioAccount } from './twilio.account.js';
import { twilioError } from './twilio.errors.js';
import { API_VERSION, toResource } from './twilio.message.js';
import { type FormParams, sendMessage } from './twilio.outbound.js';

export const ACCOUNTS_PREFIX = `/${API_VERSION}/Accounts`;

/** Form bodies as Twilio reads them: a repeated name (`MediaUrl=a&MediaUrl=b`) keeps every value. */
export function parseForm(raw: string): FormParams {
  const form: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    const existing = form[name];
    if (existing === undefined) form[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else form[name] = [existing, value];
  }
  return form;
}

function pageSize(raw: unknown): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1000) : 50;
}

function instant(raw: unknown, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const ms = Date.parse(String(raw));
  if (Number.isNaN(ms)) throw new RangeError(`${name}: an ISO 8601 date or date-time, got "${String(raw)}"`);
  return ms;
}

/** The Messages resource of `/2010-04-01/Accounts/{AccountSid}`, as `client.messages` calls it. */
export function registerMessageRoutes(app: FastifyInstance, account: TwilioAccount): void {
  const base = `${ACCOUNTS_PREFIX}/:accountSid`;
  type Params = { accountSid: string; file: string };

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, parseForm(String(body))),
  );

  app.post<{ Params: Params }>(`${base}/Messages.json`, async (request, reply) => {
    const message = sendMessage(account, (request.body ?? {}) as FormParams, 'outbound-api');
    return reply.code(201).send(toResource(message));
  });

  app.get<{ Params: Params; Querystring: Record<string, string | undefined> }>(
    `${base}/Messages.json`,
    async (request) => {
      const q = request.query;
      const page = Number(q.Page ?? 0);
      return account.store.page(account.accountSid, {
        to: q.To,
        from: q.From,
        sentOn: instant(q.DateSent, 'DateSent'),
        sentBefore: instant(q['DateSent<'], 'DateSent<'),
        sentAfter: instant(q['DateSent>'], 'DateSent>'),
        pageSize: pageSize(q.PageSize),
        page: Number.isInteger(page) && page >= 0 ? page : 0,
      });
    },
  );

  // `:sid.json` in one segment: the router has no suffix syntax, so the handler strips it.
  app.get<{ Params: Params }>(`${base}/Messages/:file`, async (request) => {
    const message = account.store.get(request.params.file.replace(/\.json$/, ''));
    if (!message || !request.params.file.endsWith('.json'))
      throw twilioError(20404, request.url.split('?')[0]);
    return toResource(message);
  });

  app.delete<{ Params: Params }>(`${base}/Messages/:file`, async (request, reply) => {
    const sid = request.params.file.replace(/\.json$/, '');
    if (!account.store.get(sid)) throw twilioError(20404, request.url.split('?')[0]);
    account.store.delete(sid);
    return reply.code(204).send();
  });
}

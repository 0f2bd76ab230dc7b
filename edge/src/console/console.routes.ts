import type { ServerResponse } from 'node:http';
import {
  AuditLogSchema,
  AuditQuerySchema,
  BoardSchema,
  ConsoleEventsQuerySchema,
} from '@clubos/shared/api/edge-lan';
import { DomainError } from '@clubos/shared/errors';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditSince } from '../audit/audit.repository.js';
import { allow } from '../auth/auth.plugin.js';
import type { EdgeServices } from '../composition-root.js';
import { consoleBoard } from './console-board.service.js';
import { consoleFingerprint } from './console-events.js';

export interface ConsoleRoutesOptions {
  edge: EdgeServices;
  /** How often the events stream checks for changes (ms). */
  tickMs?: number;
}

/**
 * What the console needs beyond the LAN API: the board in one call, the audit log, and a
 * server-sent-events stream that says "something changed" (EventSource cannot send headers, so the
 * staff token comes in the query string; it is checked like the Authorization header).
 */
export const consoleRoutes: FastifyPluginAsyncTypebox<ConsoleRoutesOptions> = async (
  app,
  { edge, tickMs = 1000 },
) => {
  app.get(
    '/api/v1/console/board',
    { preHandler: allow('staff'), schema: { response: { 200: BoardSchema } } },
    async () => consoleBoard(edge.database, edge.bookings, edge.now()),
  );

  app.get(
    '/api/v1/console/audit',
    {
      preHandler: allow('staff'),
      schema: { querystring: AuditQuerySchema, response: { 200: AuditLogSchema } },
    },
    async (request) => ({
      entries: auditSince(edge.database.db, 0, request.query.limit ?? 50).map((e) => ({
        id: e.id,
        at: new Date(e.at).toISOString(),
        kind: e.kind,
        actor: e.actor,
        subject: e.subject,
        decision: e.decision,
        reason: e.reason,
      })),
    }),
  );

  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
  });

  app.get(
    '/api/v1/console/events',
    { schema: { querystring: ConsoleEventsQuerySchema } },
    async (request, reply) => {
      const principal = edge.auth.authenticate(`Bearer ${request.query.token}`);
      if (principal === null || principal.kind !== 'staff') {
        throw new DomainError('UNAUTHORIZED', 'the events stream needs a staff token (?token=)');
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      streams.add(res);
      const online = () => (edge.sync === null ? null : edge.sync.link.online);
      let last = consoleFingerprint(edge.database, online());
      res.write(`event: ready\ndata: {}\n\n`);
      let beats = 0;
      const timer = setInterval(() => {
        try {
          const now = consoleFingerprint(edge.database, online());
          if (now !== last) {
            last = now;
            res.write(`event: change\ndata: {}\n\n`);
          } else if (++beats % 15 === 0) {
            res.write(': keep-alive\n\n');
          }
        } catch {
          // The database closes as the app shuts down: the stream ends with it.
          res.end();
        }
      }, tickMs);
      res.on('close', () => {
        clearInterval(timer);
        streams.delete(res);
      });
    },
  );
};

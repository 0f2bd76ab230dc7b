import type { ServerResponse } from 'node:http';
import { StandardErrors } from '@clubos/shared/api';
import { encodeFeedHeadEvent } from '@clubos/shared/sync';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { edgePrincipalOf, requireRole } from '../auth/index.js';
import { FeedHeadHub } from './feed-head.hub.js';

export const EdgeStreamQuerySchema = Type.Object({
  /** How often the stream sends a comment line when nothing changes (ms): the edge's liveness check. */
  heartbeat_ms: Type.Optional(Type.Integer({ minimum: 200, maximum: 60_000 })),
});

export interface EdgeStreamOptions {
  /** How often watched heads are read when no local write nudges the hub (ms). */
  pollIntervalMs?: number;
}

/**
 * `GET /api/v1/edge/changes/stream`: the push half of docs/decisions/004-change-feed.md. A Server-Sent Events
 * stream, authenticated with the edge key, that sends `event: head` with the facility's change-log
 * head on connect and each time it moves, and a comment line every `heartbeat_ms`. It carries no
 * data: the edge pulls `changes?after=cursor` when the head passes its cursor, so the feed stays the
 * only way rows reach an edge, and only the key's own facility is ever watched. A key revoked while
 * its stream is open is cut at the next heartbeat.
 */
export const edgeStreamRoutes: FastifyPluginAsyncTypebox<EdgeStreamOptions> = async (app, opts) => {
  const { changeLog, edgeFeedRepository: repo } = app.services;
  const hub = new FeedHeadHub((ids) => changeLog.heads(ids), {
    intervalMs: opts.pollIntervalMs ?? app.config.cluster.livePollMs ?? 100,
    onError: (error) => app.log.warn({ err: error }, 'edge stream: reading change-log heads failed'),
  });
  const stopListening = changeLog.onAppend(() => hub.nudge());
  const open = new Set<ServerResponse>();

  // Open streams never go idle, so the server would wait for them on close: end them first.
  app.addHook('preClose', async () => {
    stopListening();
    hub.close();
    for (const res of open) res.end();
    open.clear();
  });

  app.get(
    '/edge/changes/stream',
    {
      preHandler: requireRole('system'),
      schema: {
        tags: ['edge'],
        security: [{ edge: [] }],
        summary: 'Server-Sent Events: `head` (the facility’s change-log head) on connect and on every change',
        querystring: EdgeStreamQuerySchema,
        response: { ...StandardErrors },
      },
    },
    async (request, reply) => {
      const edge = edgePrincipalOf(request);
      const { lastSeq } = await changeLog.cursor(edge.facilityId);

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // A late timer or query must not write to a stream that closed meanwhile.
      const write = (text: string) => {
        if (!res.writableEnded && !res.destroyed) res.write(text);
      };
      const sendHead = (head: number) => write(encodeFeedHeadEvent({ facility_id: edge.facilityId, head }));
      write('retry: 1000\n\n');
      sendHead(lastSeq);
      open.add(res);

      const unsubscribe = hub.subscribe(edge.facilityId, lastSeq, sendHead);
      const heartbeat = setInterval(() => {
        void repo.isEdgeActive(edge.edgeId).then(
          (active) => {
            if (active) write(': heartbeat\n\n');
            else res.end(); // revoked since it connected
          },
          () => write(': heartbeat\n\n'),
        );
      }, request.query.heartbeat_ms ?? 15_000);
      heartbeat.unref();
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      });
    },
  );
};

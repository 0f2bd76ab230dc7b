import type { FastifyInstance } from 'fastify';
import { resolveObjectType } from './hubspot.property-catalog.js';
import type { HubspotStore } from './hubspot.store.js';

/** Associations v4: make a default association after the fact, and list an object's associations. */
export function registerAssociationRoutes(app: FastifyInstance, store: HubspotStore): void {
  app.put<{ Params: { fromType: string; fromId: string; toType: string; toId: string } }>(
    '/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId',
    async (request) => {
      const from = resolveObjectType(request.params.fromType);
      const to = resolveObjectType(request.params.toType);
      const startedAt = new Date().toISOString();
      const links = store.associateDefault(from, request.params.fromId, to, request.params.toId);
      return {
        status: 'COMPLETE',
        results: links.map((l) => ({
          from: { id: l.fromObjectId },
          to: { id: l.toObjectId },
          associationSpec: {
            associationCategory: l.associationCategory,
            associationTypeId: l.associationTypeId,
          },
        })),
        startedAt,
        completedAt: new Date().toISOString(),
      };
    },
  );

  app.get<{ Params: { fromType: string; fromId: string; toType: string } }>(
    '/crm/v4/objects/:fromType/:fromId/associations/:toType',
    async (request) => {
      const from = resolveObjectType(request.params.fromType);
      const to = resolveObjectType(request.params.toType);
      store.get(from, request.params.fromId);
      const byTarget = new Map<string, Array<{ category: string; typeId: number; label: null }>>();
      for (const l of store.associations()) {
        if (l.fromObjectType !== from || l.fromObjectId !== request.params.fromId || l.toObjectType !== to)
          continue;
        const types = byTarget.get(l.toObjectId) ?? [];
        types.push({ category: l.associationCategory, typeId: l.associationTypeId, label: null });
        byTarget.set(l.toObjectId, types);
      }
      return {
        results: [...byTarget.entries()].map(([toObjectId, associationTypes]) => ({
          toObjectId: Number(toObjectId),
          associationTypes,
        })),
      };
    },
  );
}

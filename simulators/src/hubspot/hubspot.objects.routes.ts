import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parseBody } from './hubspot.body.js';
import { notFound, validationError } from './hubspot.errors.js';
import { type CrmObjectType, resolveObjectType, validatePropertyValues } from './hubspot.property-catalog.js';
import { runSearch, SearchRequestSchema } from './hubspot.search.js';
import type { CrmRecord, HubspotStore } from './hubspot.store.js';

/**
 * CRM v3 object endpoints the SDK calls: create (201), read, update (by id or `idProperty=email`),
 * search (eventually consistent) and, for contacts, batch upsert by email.
 */
const PropertyValues = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
);
const AssociationInputSchema = Type.Object({
  to: Type.Object({ id: Type.String({ minLength: 1 }) }),
  types: Type.Array(Type.Object({ associationCategory: Type.String(), associationTypeId: Type.Integer() }), {
    minItems: 1,
  }),
});
const CreateSchema = Type.Object({
  properties: PropertyValues,
  associations: Type.Optional(Type.Array(AssociationInputSchema)),
});
const UpdateSchema = Type.Object({ properties: PropertyValues });
export const MAX_BATCH_INPUTS = 100;
const UpsertSchema = Type.Object({
  inputs: Type.Array(
    Type.Object({
      id: Type.String({ minLength: 1 }),
      idProperty: Type.Optional(Type.String()),
      properties: PropertyValues,
      objectWriteTraceId: Type.Optional(Type.String()),
    }),
  ),
});

const DEFAULT_READ_PROPERTIES: Record<CrmObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** HubSpot adds these to any explicit `properties` selection. */
const ALWAYS_READ_PROPERTIES: Record<CrmObjectType, string[]> = {
  contacts: ['createdate', 'hs_object_id', 'lastmodifieddate'],
  deals: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** The SDK sends `properties` as a comma-joined string or a repeated query parameter. */
function requestedProperties(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(','));
  const names = parts.map((p) => p.trim()).filter((p) => p.length > 0);
  return names.length > 0 ? names : undefined;
}

export function publicObject(
  record: { id: string; objectType: CrmObjectType; properties: Record<string, string> } & Partial<CrmRecord>,
  select: 'all' | string[] | undefined,
) {
  let properties: Record<string, string | null>;
  if (select === 'all') properties = { ...record.properties };
  else {
    const names = new Set(select ?? DEFAULT_READ_PROPERTIES[record.objectType]);
    if (select) for (const always of ALWAYS_READ_PROPERTIES[record.objectType]) names.add(always);
    properties = {};
    for (const name of names) properties[name] = record.properties[name] ?? null;
  }
  const createdAt =
    record.createdAt ?? Date.parse(record.properties.createdate ?? record.properties.hs_createdate ?? '');
  const updatedAt = record.updatedAt ?? createdAt;
  return {
    id: record.id,
    properties,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
    archived: false,
  };
}

function resolveId(store: HubspotStore, objectType: CrmObjectType, id: string, idProperty: unknown): string {
  if (idProperty === undefined || idProperty === 'hs_object_id') return id;
  if (objectType !== 'contacts' || idProperty !== 'email') {
    throw validationError(
      `idProperty ${JSON.stringify(idProperty)} is not a unique property of ${objectType}`,
    );
  }
  const found = store.contactIdByEmail(id);
  if (!found) throw notFound(`Object not found. No contact with email ${id}.`, { email: [id] });
  return found;
}

export function registerObjectRoutes(app: FastifyInstance, store: HubspotStore): void {
  app.post<{ Params: { objectType: string } }>('/crm/v3/objects/:objectType', async (request, reply) => {
    const objectType = resolveObjectType(request.params.objectType);
    const body = parseBody(CreateSchema, request.body, `${objectType} create`);
    const record = store.create(objectType, body.properties, body.associations ?? []);
    return reply.code(201).send(publicObject(record, 'all'));
  });

  app.get<{ Params: { objectType: string; id: string }; Querystring: Record<string, unknown> }>(
    '/crm/v3/objects/:objectType/:id',
    async (request) => {
      const objectType = resolveObjectType(request.params.objectType);
      const id = resolveId(store, objectType, request.params.id, request.query.idProperty);
      return publicObject(store.get(objectType, id), requestedProperties(request.query.properties));
    },
  );

  app.patch<{ Params: { objectType: string; id: string }; Querystring: Record<string, unknown> }>(
    '/crm/v3/objects/:objectType/:id',
    async (request) => {
      const objectType = resolveObjectType(request.params.objectType);
      const body = parseBody(UpdateSchema, request.body, `${objectType} update`);
      const id = resolveId(store, objectType, request.params.id, request.query.idProperty);
      return publicObject(store.update(objectType, id, body.properties), 'all');
    },
  );

  app.post<{ Params: { objectType: string } }>('/crm/v3/objects/:objectType/search', async (request) => {
    const objectType = resolveObjectType(request.params.objectType);
    const body = parseBody(SearchRequestSchema, request.body ?? {}, `${objectType} search`);
    const rows = store.searchable(objectType).map((r) => ({ ...r, objectType }));
    const { total, page, nextAfter } = runSearch(rows, body);
    const results = page.map((hit) => publicObject({ ...hit, objectType }, body.properties ?? undefined));
    return nextAfter === null
      ? { total, results }
      : { total, results, paging: { next: { after: nextAfter } } };
  });

  app.post<{ Params: { objectType: string } }>(
    '/crm/v3/objects/:objectType/batch/upsert',
    async (request) => {
      const objectType = resolveObjectType(request.params.objectType);
      if (objectType !== 'contacts')
        throw validationError(`batch upsert by a unique property is simulated for contacts only`);
      const { inputs } = parseBody(UpsertSchema, request.body, 'contacts batch upsert');
      if (inputs.length === 0) throw validationError('inputs must contain at least 1 input');
      if (inputs.length > MAX_BATCH_INPUTS) {
        throw validationError(
          `Batch input limit exceeded: ${inputs.length} inputs given, at most ${MAX_BATCH_INPUTS} allowed`,
        );
      }
      const emails = inputs.map((input, i) => {
        if (input.idProperty !== 'email') {
          throw validationError(
            `inputs[${i}].idProperty must be "email" to upsert contacts, got ${JSON.stringify(input.idProperty)}`,
          );
        }
        return input.id.trim().toLowerCase();
      });
      const duplicates = emails.filter((e, i) => emails.indexOf(e) !== i);
      if (duplicates.length > 0)
        throw validationError(`Duplicate IDs found in batch input: [${[...new Set(duplicates)].join(', ')}]`);
      // HubSpot validates the whole batch before writing any of it.
      for (const input of inputs)
        validatePropertyValues(store.catalog.contacts, 'contacts', input.properties, 'update');
      const startedAt = new Date().toISOString();
      const results = inputs.map((input, i) => {
        const email = emails[i] as string;
        const existing = store.contactIdByEmail(email);
        const record = existing
          ? store.update('contacts', existing, input.properties)
          : store.create('contacts', { ...input.properties, email });
        return { ...publicObject(record, 'all'), new: !existing };
      });
      return { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
    },
  );
}

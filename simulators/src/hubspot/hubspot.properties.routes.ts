import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parseBody } from './hubspot.body.js';
import { HubspotApiError, notFound, validationError } from './hubspot.errors.js';
import {
  FIELD_TYPES,
  PROPERTY_TYPES,
  type PropertyDefinition,
  resolveObjectType,
} from './hubspot.property-catalog.js';
import type { HubspotStore } from './hubspot.store.js';

/**
 * `GET/POST /crm/v3/properties/{objectType}`: the cloud creates its custom contact properties
 * (`total_bookings`, `lifetime_value`, …) when missing; creating one twice is a 409.
 */
const CreatePropertySchema = Type.Object({
  name: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 100 }),
  label: Type.String({ minLength: 1 }),
  type: Type.Union(PROPERTY_TYPES.map((t) => Type.Literal(t))),
  fieldType: Type.Union(FIELD_TYPES.map((t) => Type.Literal(t))),
  groupName: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  options: Type.Optional(
    Type.Array(
      Type.Object({
        label: Type.String(),
        value: Type.String(),
        displayOrder: Type.Optional(Type.Integer()),
        hidden: Type.Optional(Type.Boolean()),
        description: Type.Optional(Type.String()),
      }),
    ),
  ),
  displayOrder: Type.Optional(Type.Integer()),
  hasUniqueValue: Type.Optional(Type.Boolean()),
  hidden: Type.Optional(Type.Boolean()),
  formField: Type.Optional(Type.Boolean()),
});

/** Field types HubSpot accepts for each data type. */
const FIELD_TYPES_BY_TYPE: Record<string, string[]> = {
  string: ['text', 'textarea', 'phonenumber', 'html', 'file'],
  phone_number: ['phonenumber', 'text'],
  number: ['number', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  bool: ['booleancheckbox'],
};

export function registerPropertyRoutes(app: FastifyInstance, store: HubspotStore): void {
  app.get<{ Params: { objectType: string } }>('/crm/v3/properties/:objectType', async (request) => {
    const objectType = resolveObjectType(request.params.objectType);
    return { results: [...store.catalog[objectType].values()] };
  });

  app.get<{ Params: { objectType: string; name: string } }>(
    '/crm/v3/properties/:objectType/:name',
    async (request) => {
      const objectType = resolveObjectType(request.params.objectType);
      const found = store.catalog[objectType].get(request.params.name);
      if (!found) throw notFound(`Unable to find property ${request.params.name} on ${objectType}`);
      return found;
    },
  );

  app.post<{ Params: { objectType: string } }>('/crm/v3/properties/:objectType', async (request, reply) => {
    const objectType = resolveObjectType(request.params.objectType);
    const body = parseBody(CreatePropertySchema, request.body, `${objectType} property create`);
    if (!FIELD_TYPES_BY_TYPE[body.type]?.includes(body.fieldType)) {
      throw validationError(
        `fieldType ${body.fieldType} is not valid for type ${body.type}; use one of ${FIELD_TYPES_BY_TYPE[body.type]?.join(', ')}`,
      );
    }
    if (store.catalog[objectType].has(body.name)) {
      throw new HubspotApiError(
        409,
        'OBJECT_ALREADY_EXISTS',
        `Property named '${body.name}' already exists.`,
        {
          subCategory: 'PropertyValidationError.PROPERTY_EXISTS',
        },
      );
    }
    const now = new Date().toISOString();
    const definition: PropertyDefinition = {
      name: body.name,
      label: body.label,
      type: body.type,
      fieldType: body.fieldType,
      groupName: body.groupName,
      description: body.description ?? '',
      options: (body.options ?? []).map((o) => ({
        label: o.label,
        value: o.value,
        displayOrder: o.displayOrder,
        hidden: o.hidden ?? false,
      })),
      hubspotDefined: false,
      readOnlyValue: false,
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    store.addProperty(objectType, definition);
    return reply.code(201).send(definition);
  });
}

import { ErrorResponseSchema, Nullable, StandardErrors } from '@clubos/shared/api';
import { type Static, Type } from '@sinclair/typebox';

/**
 * Request/response schemas of the admin HubSpot routes. They live here rather than in
 * `shared/src/api/` because only the cloud's admin dashboard uses them.
 */
const Iso = Type.String({ title: 'ISO-8601 UTC instant' });

export const SyncItemSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: 'contact.upsert | note.create | deal.sync' }),
  customer_id: Type.String(),
  booking_id: Nullable(Type.String()),
  status: Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('failed')]),
  attempts: Type.Integer({ description: 'sends HubSpot did not refuse with a rate limit' }),
  failures: Type.Integer({ description: 'failures counted towards giving up' }),
  last_error: Nullable(Type.String()),
  next_attempt_at: Iso,
  last_attempt_at: Nullable(Iso),
  hubspot_id: Nullable(Type.String()),
  result: Nullable(Type.String()),
  created_at: Iso,
});
export type SyncItemResponse = Static<typeof SyncItemSchema>;

export const CustomerSyncSchema = Type.Object({
  customer_id: Type.String(),
  email: Type.String(),
  hubspot_contact_id: Nullable(Type.String()),
  state: Type.Union([Type.Literal('synced'), Type.Literal('pending'), Type.Literal('failed')]),
  pending: Type.Integer(),
  failed: Type.Integer(),
  done: Type.Integer(),
  attempts: Type.Integer({ description: 'most attempts among the open items' }),
  last_error: Nullable(Type.String()),
  last_synced_at: Nullable(Iso),
  open_items: Type.Array(SyncItemSchema),
});

export const HubspotStatusQuerySchema = Type.Object(
  {
    state: Type.Optional(
      Type.Union([Type.Literal('synced'), Type.Literal('pending'), Type.Literal('failed')]),
    ),
    customer_id: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F-]{36}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

export const HubspotStatusSchema = Type.Object({
  enabled: Type.Boolean({ description: 'false when HUBSPOT_ACCESS_TOKEN is not set' }),
  available: Type.Boolean({ description: 'false while HubSpot is unreachable' }),
  paused_until: Nullable(Iso),
  last_error: Nullable(Type.String()),
  totals: Type.Object({
    pending: Type.Integer(),
    failed: Type.Integer(),
    done: Type.Integer(),
    events_waiting: Type.Integer({ description: 'outbox events not yet turned into items' }),
  }),
  customers: Type.Array(CustomerSyncSchema),
});
export type HubspotStatusResponse = Static<typeof HubspotStatusSchema>;

export const ItemParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const RetryResponseSchema = Type.Object({ item: SyncItemSchema });

export const AdminErrors = { ...StandardErrors, 409: ErrorResponseSchema };

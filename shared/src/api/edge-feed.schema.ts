import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../schema/index.js';

/** Admin: `POST /api/v1/edge/nodes` registers an edge for a facility; the key is shown once. */
export const RegisterEdgeBodySchema = Type.Object({
  facility_id: UuidSchema,
  name: Type.String({ minLength: 1, maxLength: 255 }),
});
export type RegisterEdgeBody = Static<typeof RegisterEdgeBodySchema>;

export const RegisteredEdgeSchema = Type.Object({
  id: UuidSchema,
  facility_id: UuidSchema,
  name: Type.String(),
  /** Send as `Authorization: Edge <key>`. Not retrievable later. */
  key: Type.String(),
  created_at: IsoInstantSchema,
});

export const EdgeIdParamsSchema = Type.Object({ id: UuidSchema });

/** `GET /api/v1/edge/config`: the facility and the public key that verifies door tokens offline. */
export const EdgeConfigSchema = Type.Object({
  edge_id: UuidSchema,
  facility_id: UuidSchema,
  facility_name: Type.String(),
  timezone: Type.String(),
  /** Ed25519 public key, 64 hex digits. */
  access_public_key: Type.String(),
});

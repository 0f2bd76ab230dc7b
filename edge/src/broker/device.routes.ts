import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { allow } from '../auth/auth.plugin.js';
import type { EdgeDatabase } from '../db/database.js';
import { DEVICE_KINDS, type DeviceKind, listDeviceStatus, listDevices } from './device.repository.js';
import type { DeviceAuthService } from './device-auth.service.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const RegisterBody = Type.Object(
  {
    kind: Type.Union(DEVICE_KINDS.map((k) => Type.Literal(k))),
    target_id: Type.String({ minLength: 1, maxLength: 128 }),
    username: Type.Optional(Type.String({ minLength: 3, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' })),
  },
  { additionalProperties: false },
);
const Credentials = Type.Object({
  id: Type.String(),
  username: Type.String(),
  password: Type.String(),
  kind: Type.String(),
  target_id: Type.String(),
});
const Device = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  target_id: Type.String(),
  username: Type.String(),
  revoked: Type.Boolean(),
  presence: Type.String(),
  presence_at: Nullable(Type.String()),
  state: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});

/** MQTT device logins (manager registers; the secret is shown once) and their live status for staff. */
export const deviceRoutes: FastifyPluginAsync<{
  devices: DeviceAuthService;
  database: EdgeDatabase;
}> = async (app, { devices, database }) => {
  app.post<{ Body: { kind: DeviceKind; target_id: string; username?: string } }>(
    '/devices',
    { preHandler: allow('manager'), schema: { body: RegisterBody, response: { 201: Credentials } } },
    async (request, reply) => {
      reply.code(201);
      return devices.register(request.body.kind, request.body.target_id, request.body.username);
    },
  );
  app.get(
    '/devices',
    {
      preHandler: allow('staff'),
      schema: { response: { 200: Type.Object({ devices: Type.Array(Device) }) } },
    },
    async () => {
      const status = new Map(listDeviceStatus(database.db).map((s) => [s.key, s]));
      return {
        devices: listDevices(database.db).map((d) => {
          const s = status.get(`${d.kind === 'bay_pc' ? 'bay' : 'door'}:${d.target_id}`);
          return {
            id: d.id,
            kind: d.kind,
            target_id: d.target_id,
            username: d.username,
            revoked: d.revoked_at !== null,
            presence: s?.presence ?? 'unknown',
            presence_at: s?.presence_at == null ? null : new Date(s.presence_at).toISOString(),
            state: s?.state ?? null,
          };
        }),
      };
    },
  );
};
